package io.novacron.gpu.deploy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.LongConsumer;

/** SHA-256 of whole files, streamed through one buffer: memory stays flat whatever the file size. */
public final class FileDigests {
  static final int BUFFER_BYTES = 1 << 20;

  private FileDigests() {}

  /**
   * @param progress called with the bytes hashed so far, after each buffer
   */
  public static String sha256(Path file, LongConsumer progress) throws IOException {
    MessageDigest digest = newSha256();
    ByteBuffer buffer = ByteBuffer.allocate(BUFFER_BYTES);
    long done = 0;
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      while (channel.read(buffer.clear()) >= 0) {
        buffer.flip();
        done += buffer.remaining();
        digest.update(buffer);
        progress.accept(done);
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
