package io.novacron.transfer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the PEM files deploy/temporal/scripts/make-certs.sh writes: certificates (a chain may hold
 * several) and an unencrypted PKCS#8 private key ("BEGIN PRIVATE KEY"; EC, RSA or Ed25519). Every
 * error names the setting that pointed at the file, so that the operator knows what to fix.
 */
final class PemFiles {
  private static final Pattern PKCS8 = Pattern.compile(
      "-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");
  private static final List<String> KEY_ALGORITHMS = List.of("EC", "RSA", "Ed25519");

  private PemFiles() {}

  /** The certificates in {@code file}, first the leaf; at least one. */
  static List<X509Certificate> certificates(Path file, String setting) {
    try (InputStream in = Files.newInputStream(readable(file, setting))) {
      List<X509Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in).stream()
          .map(X509Certificate.class::cast).toList();
      if (certs.isEmpty()) {
        throw new IllegalArgumentException(setting + "=" + file + ": no PEM certificate in it");
      }
      return certs;
    } catch (CertificateException e) {
      throw new IllegalArgumentException(setting + "=" + file + ": not a PEM certificate (" + e.getMessage() + ")", e);
    } catch (IOException e) {
      throw new IllegalArgumentException(setting + "=" + file + ": cannot read it (" + e + ")", e);
    }
  }

  /** The private key in {@code file}, PKCS#8 PEM. */
  static PrivateKey privateKey(Path file, String setting) {
    String text;
    try {
      text = Files.readString(readable(file, setting), StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new IllegalArgumentException(setting + "=" + file + ": cannot read it (" + e + ")", e);
    }
    Matcher m = PKCS8.matcher(text);
    if (!m.find()) {
      String hint = text.contains("BEGIN EC PRIVATE KEY") || text.contains("BEGIN RSA PRIVATE KEY")
          ? " (convert it: openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8)"
          : text.contains("ENCRYPTED") ? " (an encrypted key: store it unencrypted, mode 0600)" : "";
      throw new IllegalArgumentException(setting + "=" + file + ": no \"BEGIN PRIVATE KEY\" (PKCS#8) block" + hint);
    }
    PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(Base64.getMimeDecoder().decode(m.group(1)));
    for (String algorithm : KEY_ALGORITHMS) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(spec);
      } catch (GeneralSecurityException e) {
        // try the next algorithm: PKCS#8 names it inside, but KeyFactory wants it up front
      }
    }
    throw new IllegalArgumentException(setting + "=" + file + ": a PKCS#8 key of none of " + KEY_ALGORITHMS);
  }

  private static Path readable(Path file, String setting) {
    if (!Files.isReadable(file)) {
      throw new IllegalArgumentException(setting + "=" + file + ": no such readable file");
    }
    return file;
  }
}
