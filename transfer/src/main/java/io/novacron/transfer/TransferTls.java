package io.novacron.transfer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * Mutual TLS 1.3 for the transfer engine's streams: the node presents its certificate on both ends
 * (as receiver it is the TLS server, as sender the TLS client) and accepts a peer only if the
 * peer's certificate chains to the deployment's CA. The one-time HMAC token of each transfer stays
 * what authorises the transfer; TLS adds confidentiality, integrity, and "the peer is one of our
 * nodes". Host names are not checked: node certificates name the node, not its addresses, and the
 * token already binds a connection to the transfer the receiver opened.
 */
public final class TransferTls {
  static final String PROTOCOL = "TLSv1.3";
  private static final String[] PROTOCOLS = {PROTOCOL};
  private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
  private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

  private final SSLContext context;
  private final String subject;

  private TransferTls(SSLContext context, String subject) {
    this.context = context;
    this.subject = subject;
  }

  /**
   * From PEM files as deploy/temporal/scripts/make-certs.sh writes them. Checked up front, so that
   * a wrong file stops the agent at start rather than failing every transfer later: the key matches
   * the certificate, the certificate chains to the CA and may serve as TLS server and client.
   *
   * @param cert the node's certificate (PEM; intermediates may follow the leaf)
   * @param key its private key (PKCS#8 PEM)
   * @param ca the deployment's CA certificate(s) (PEM): peers must chain to one of them
   * @throws IllegalArgumentException naming the setting and what to do when a file does not fit
   */
  public static TransferTls fromPem(Path cert, Path key, Path ca) {
    List<X509Certificate> chain = PemFiles.certificates(cert, TransferTlsSettings.CERT);
    PrivateKey privateKey = PemFiles.privateKey(key, TransferTlsSettings.KEY);
    List<X509Certificate> anchors = PemFiles.certificates(ca, TransferTlsSettings.CA);
    X509Certificate leaf = chain.get(0);
    checkKeyMatches(leaf, privateKey, cert, key);
    checkUsage(leaf, cert);
    checkChains(chain, anchors, cert, ca);
    try {
      char[] none = new char[0];
      KeyStore keys = KeyStore.getInstance("PKCS12");
      keys.load(null, null);
      keys.setKeyEntry("node", privateKey, none, chain.toArray(new X509Certificate[0]));
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(keys, none);
      KeyStore trusted = KeyStore.getInstance("PKCS12");
      trusted.load(null, null);
      for (int i = 0; i < anchors.size(); i++) {
        trusted.setCertificateEntry("ca-" + i, anchors.get(i));
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
      tmf.init(trusted);
      SSLContext context = SSLContext.getInstance(PROTOCOL);
      context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
      return new TransferTls(context, leaf.getSubjectX500Principal().getName());
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot set up TLS 1.3 for transfers: " + e, e);
    }
  }

  /** A listening socket that requires TLS 1.3 and a client certificate. */
  ServerSocket newServerSocket() throws IOException {
    SSLServerSocket server = (SSLServerSocket) context.getServerSocketFactory().createServerSocket();
    SSLParameters params = parameters();
    params.setNeedClientAuth(true);
    server.setSSLParameters(params);
    server.setUseClientMode(false);
    return server;
  }

  /**
   * Layers TLS over an already connected socket (connected first so that the connect timeout
   * applies) and runs the handshake. Closing the returned socket closes {@code connected}.
   */
  SSLSocket handshake(Socket connected, InetSocketAddress peer) throws IOException {
    SSLSocket socket = (SSLSocket) context.getSocketFactory()
        .createSocket(connected, peer.getHostString(), peer.getPort(), true);
    socket.setUseClientMode(true);
    socket.setSSLParameters(parameters());
    socket.startHandshake();
    return socket;
  }

  /** The node certificate's subject, for logs. */
  public String subject() {
    return subject;
  }

  private SSLParameters parameters() {
    SSLParameters params = context.getDefaultSSLParameters();
    params.setProtocols(PROTOCOLS);
    // No endpoint identification: see the class comment.
    params.setEndpointIdentificationAlgorithm(null);
    return params;
  }

  private static void checkKeyMatches(X509Certificate leaf, PrivateKey key, Path certFile, Path keyFile) {
    String algorithm = switch (key.getAlgorithm()) {
      case "EC" -> "SHA256withECDSA";
      case "RSA" -> "SHA256withRSA";
      default -> key.getAlgorithm();
    };
    byte[] probe = "novacron-transfer-tls".getBytes(StandardCharsets.US_ASCII);
    boolean matches;
    try {
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(leaf.getPublicKey());
      verifier.update(probe);
      matches = verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      matches = false;
    }
    if (!matches) {
      throw new IllegalArgumentException(TransferTlsSettings.KEY + "=" + keyFile + " is not the key of "
          + TransferTlsSettings.CERT + "=" + certFile + ": give the pair make-certs.sh wrote together");
    }
  }

  private static void checkUsage(X509Certificate leaf, Path certFile) {
    List<String> usage;
    try {
      usage = leaf.getExtendedKeyUsage();
    } catch (java.security.cert.CertificateParsingException e) {
      throw new IllegalArgumentException(TransferTlsSettings.CERT + "=" + certFile + ": unreadable key usage", e);
    }
    if (usage != null && !(usage.contains(SERVER_AUTH) && usage.contains(CLIENT_AUTH))) {
      throw new IllegalArgumentException(TransferTlsSettings.CERT + "=" + certFile
          + " is not allowed for both TLS server and client (extended key usage " + usage + "): a node receives"
          + " and sends, so reissue it with deploy/temporal/scripts/make-certs.sh OUTDIR --nodes=<node>"
          + " (node certificates carry serverAuth and clientAuth; older ones are reissued)");
    }
  }

  private static void checkChains(List<X509Certificate> chain, List<X509Certificate> anchors, Path certFile,
      Path caFile) {
    try {
      Set<TrustAnchor> trust = new HashSet<>();
      anchors.forEach(a -> trust.add(new TrustAnchor(a, null)));
      PKIXParameters params = new PKIXParameters(trust);
      params.setRevocationEnabled(false);
      List<X509Certificate> path = chain.stream().filter(c -> !anchors.contains(c)).toList();
      CertPathValidator.getInstance("PKIX").validate(CertificateFactory.getInstance("X.509").generateCertPath(path),
          params);
    } catch (CertPathValidatorException e) {
      throw new IllegalArgumentException(TransferTlsSettings.CERT + "=" + certFile + " does not chain to "
          + TransferTlsSettings.CA + "=" + caFile + " (" + e.getMessage() + "): both must come from the same"
          + " make-certs.sh output directory", e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot check the transfer certificate: " + e, e);
    }
  }
}
