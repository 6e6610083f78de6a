package io.novacron.transfer;

import io.novacron.transfer.codec.Natives;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import net.jpountz.xxhash.XXHash64;

/** XXH64 for chunk checks and delta candidates, SHA-256 for everything that must not collide. */
public final class Hashes {
  private static final XXHash64 XXH64 = Natives.xxhash().hash64();
  private static final HexFormat HEX = HexFormat.of();

  private Hashes() {}

  public static long xxh64(byte[] data, int off, int len, long seed) {
    return XXH64.hash(data, off, len, seed);
  }

  public static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  public static String hex(byte[] bytes) {
    return HEX.formatHex(bytes);
  }

  public static byte[] unhex(String hex) {
    return HEX.parseHex(hex);
  }
}
