package io.novacron.transfer;

import io.novacron.transfer.wire.Wire;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;

/**
 * Per-block hashes of the receiver's existing copy, the delta base: XXH64 (cheap, to find
 * candidates) and SHA-256 (to confirm a match, so that a 64-bit collision cannot leave a wrong
 * block in place). {@value Wire#BASE_ENTRY} bytes per block, in block order, exactly as they go on
 * the wire; {@link #digest} names that list in the endpoint.
 */
public final class BaseSignature {
  private final int blockSize;
  private final long size;
  private final byte[] entries;

  BaseSignature(int blockSize, long size, byte[] entries) {
    this.blockSize = blockSize;
    this.size = size;
    this.entries = entries;
  }

  /** Hashes {@code file} block by block. */
  static BaseSignature compute(Path file, int blockSize) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
      long size = ch.size();
      long blocks = (size + blockSize - 1) / blockSize;
      if (blocks * Wire.BASE_ENTRY > Integer.MAX_VALUE - 64) {
        throw new IOException("delta base of " + blocks + " blocks is too large; use larger blocks");
      }
      byte[] entries = new byte[(int) (blocks * Wire.BASE_ENTRY)];
      ByteBuffer out = ByteBuffer.wrap(entries);
      byte[] block = new byte[blockSize];
      MessageDigest sha = Hashes.sha256();
      for (long i = 0; i < blocks; i++) {
        int len = (int) Math.min(blockSize, size - i * blockSize);
        readFully(ch, block, len, i * blockSize);
        out.putLong(Hashes.xxh64(block, 0, len, 0));
        sha.update(block, 0, len);
        out.put(sha.digest());
      }
      return new BaseSignature(blockSize, size, entries);
    }
  }

  /** SHA-256 (hex) of block size, base size and the entries: what the endpoint advertises. */
  public static String digest(int blockSize, long size, byte[] entries) {
    MessageDigest sha = Hashes.sha256();
    sha.update(ByteBuffer.allocate(12).putInt(blockSize).putLong(size).array());
    sha.update(entries);
    return Hashes.hex(sha.digest());
  }

  public String digest() {
    return digest(blockSize, size, entries);
  }

  public long size() {
    return size;
  }

  public long blocks() {
    return entries.length / Wire.BASE_ENTRY;
  }

  byte[] entries() {
    return entries;
  }

  static void readFully(FileChannel ch, byte[] into, int len, long position) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(into, 0, len);
    while (b.hasRemaining()) {
      int n = ch.read(b, position + b.position());
      if (n < 0) {
        throw new IOException("file shrank while being read at " + (position + b.position()));
      }
    }
  }
}
