package io.novacron.host.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;
import java.util.function.LongConsumer;

/**
 * Lands a stream as an image file, all or nothing: the bytes go to a hidden partial file beside
 * the target (one per attempt, so two concurrent pulls of one image never share one), hashed as
 * they stream and counted against a cap; only a file whose SHA-256 matches is synced and renamed
 * atomically onto the target. Whatever fails, the partial file is deleted: the library never
 * holds an unverified byte, so the presence of the target proves it was verified.
 */
public final class ImageLanding {
  private static final int BUFFER = 1 << 20;

  private ImageLanding() {}

  /**
   * @param in the image's bytes (closed by the caller)
   * @param maxBytes the most bytes accepted; one more refuses the image
   * @param sha256 the digest the bytes must have (lower-case hex)
   * @param target where the image lands
   * @param progress told the bytes received so far, about every MiB
   * @throws ImageRefusedException too large or another digest; nothing landed
   */
  public static void land(InputStream in, long maxBytes, String sha256, Path target, LongConsumer progress)
      throws IOException, ImageRefusedException {
    Files.createDirectories(target.getParent());
    Path part = target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".part");
    boolean landed = false;
    try {
      MessageDigest digest = sha256();
      long total = 0;
      try (OutputStream out = Files.newOutputStream(part, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        byte[] buffer = new byte[BUFFER];
        for (int n; (n = in.read(buffer)) > 0; ) {
          total += n;
          if (total > maxBytes) {
            throw new ImageRefusedException("larger than the " + maxBytes + " bytes allowed; nothing landed");
          }
          digest.update(buffer, 0, n);
          out.write(buffer, 0, n);
          progress.accept(total);
        }
      }
      String actual = HexFormat.of().formatHex(digest.digest());
      if (!actual.equals(sha256)) {
        throw new ImageRefusedException("its " + total + " bytes hash to SHA-256 " + actual + ", registered "
            + sha256 + "; nothing landed");
      }
      try (FileChannel channel = FileChannel.open(part, StandardOpenOption.WRITE)) {
        channel.force(true);
      }
      Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
      landed = true;
    } finally {
      if (!landed) {
        Files.deleteIfExists(part);
      }
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
