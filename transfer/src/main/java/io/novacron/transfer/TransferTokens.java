package io.novacron.transfer;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * One-time transfer tokens and the proofs made with them.
 *
 * <p>A token is {@code HMAC-SHA256(node secret, transfer id, target, nonce, expiry)}: the receiver
 * stores only the nonce and expiry and can recompute the token after a restart, and a token opens
 * exactly one transfer to one target until it is committed, aborted or expires (the session and
 * its nonce are then gone, so the same token never verifies again). The token reaches the sender
 * through Temporal, never over the data connection: there the sender proves it holds the token by
 * answering the receiver's fresh random challenge, so a recorded connection cannot be replayed.
 */
public final class TransferTokens {
  private static final String ALGORITHM = "HmacSHA256";
  private final byte[] secret;

  public TransferTokens(byte[] secret) {
    if (secret == null || secret.length < 16) {
      throw new IllegalArgumentException("the transfer secret must have at least 16 bytes");
    }
    this.secret = secret.clone();
  }

  /** The token of a transfer (base64url, no padding). */
  public String issue(String transferId, String target, byte[] nonce, long expiresAtMillis) {
    byte[] mac = hmac(secret, bytes("nvxf-token"), bytes(transferId), bytes(target), nonce,
        ByteBuffer.allocate(8).putLong(expiresAtMillis).array());
    return Base64.getUrlEncoder().withoutPadding().encodeToString(mac);
  }

  /** What a sender holding {@code token} answers to {@code challenge} on {@code stream}. */
  public static byte[] proof(String token, byte[] challenge, String transferId, int stream) {
    return hmac(key(token), bytes("nvxf-hello"), challenge, bytes(transferId),
        ByteBuffer.allocate(4).putInt(stream).array());
  }

  /** Binds a commit (size and hash) to the token and to the connection's challenge. */
  public static byte[] commitMac(String token, byte[] challenge, long size, byte[] sha256) {
    return hmac(key(token), bytes("nvxf-commit"), challenge,
        ByteBuffer.allocate(8).putLong(size).array(), sha256);
  }

  /** Constant-time comparison, so timing does not leak how much of a proof was right. */
  public static boolean matches(byte[] expected, byte[] actual) {
    return MessageDigest.isEqual(expected, actual);
  }

  private static byte[] key(String token) {
    try {
      return Base64.getUrlDecoder().decode(token);
    } catch (IllegalArgumentException e) {
      // A malformed token still yields a key; it simply never matches.
      return bytes(token);
    }
  }

  private static byte[] hmac(byte[] key, byte[]... parts) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(new SecretKeySpec(key.length == 0 ? new byte[1] : key, ALGORITHM));
      for (byte[] part : parts) {
        // Length-prefix every part so that ("ab","c") and ("a","bc") differ.
        mac.update(ByteBuffer.allocate(4).putInt(part.length).array());
        mac.update(part);
      }
      return mac.doFinal();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every Java platform", e);
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
