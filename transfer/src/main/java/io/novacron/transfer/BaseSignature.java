package io.novacron.transfer;

import io.novacron.transfer.wire.Wire;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

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

  /** Bytes read per call while hashing: many 4 KiB blocks per read instead of one pread each. */
  static final int READ_BYTES = 1 << 20;
  /** Below this a base is hashed on the calling thread alone. */
  static final long PARALLEL_BYTES = 16L << 20;
  static final int MAX_PARTS = 4;

  /**
   * Hashes {@code file} block by block: in {@link #parts} slices side by side, each read
   * {@value #READ_BYTES} bytes at a time. {@code openReceive} waits for this before the sender can
   * start (with delta, the default when the target exists): a 256 MiB base is 65,536 blocks of
   * 4 KiB, and one thread reading and hashing them one pread at a time was about a fifth of the
   * 5%-changed re-sync's wall time on the lan bench (issue 17).
   */
  static BaseSignature compute(Path file, int blockSize) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
      long size = ch.size();
      long blocks = (size + blockSize - 1) / blockSize;
      if (blocks * Wire.BASE_ENTRY > Integer.MAX_VALUE - 64) {
        throw new IOException("delta base of " + blocks + " blocks is too large; use larger blocks");
      }
      byte[] entries = new byte[(int) (blocks * Wire.BASE_ENTRY)];
      int parts = parts(size, blocks, Runtime.getRuntime().availableProcessors());
      if (parts == 1) {
        hashBlocks(ch, size, blockSize, 0, blocks, entries);
        return new BaseSignature(blockSize, size, entries);
      }
      ExecutorService pool = Executors.newFixedThreadPool(parts - 1, r -> {
        Thread t = new Thread(r, "transfer-base-hash");
        t.setDaemon(true);
        return t;
      });
      try {
        List<Future<Void>> others = new ArrayList<>();
        for (int p = 1; p < parts; p++) {
          long first = blocks * p / parts;
          long end = blocks * (p + 1) / parts;
          others.add(pool.submit(() -> {
            hashBlocks(ch, size, blockSize, first, end, entries);
            return null;
          }));
        }
        hashBlocks(ch, size, blockSize, 0, blocks / parts, entries);
        for (Future<Void> f : others) {
          f.get();
        }
      } catch (ExecutionException e) {
        throw e.getCause() instanceof IOException io ? io : new IOException("hashing the delta base failed", e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new java.io.InterruptedIOException("interrupted while hashing the delta base");
      } finally {
        pool.shutdownNow();
      }
      return new BaseSignature(blockSize, size, entries);
    }
  }

  /**
   * How many slices to hash a base in: one per core up to {@value #MAX_PARTS}, one for a base under
   * {@value #PARALLEL_BYTES} bytes (threads cost more than they save), never more than blocks.
   * Pure.
   */
  static int parts(long size, long blocks, int cores) {
    if (size < PARALLEL_BYTES) {
      return 1;
    }
    return (int) Math.max(1, Math.min(Math.min(cores, MAX_PARTS), blocks));
  }

  /** Entries of blocks {@code [first, end)}: XXH64, then SHA-256, into their place in {@code entries}. */
  private static void hashBlocks(FileChannel ch, long size, int blockSize, long first, long end, byte[] entries)
      throws IOException {
    int perRead = Math.max(1, READ_BYTES / blockSize);
    byte[] chunk = new byte[perRead * blockSize];
    MessageDigest sha = Hashes.sha256();
    ByteBuffer out = ByteBuffer.wrap(entries);
    for (long i = first; i < end; i += perRead) {
      long start = i * blockSize;
      int len = (int) Math.min((long) chunk.length, Math.min(end * blockSize, size) - start);
      readFully(ch, chunk, len, start);
      for (int off = 0; off < len; off += blockSize) {
        int n = Math.min(blockSize, len - off);
        int entry = (int) ((i + off / blockSize) * Wire.BASE_ENTRY);
        out.putLong(entry, Hashes.xxh64(chunk, off, n, 0));
        sha.update(chunk, off, n);
        try {
          sha.digest(entries, entry + 8, 32);
        } catch (java.security.DigestException e) {
          throw new IllegalStateException("a SHA-256 digest is 32 bytes", e);
        }
      }
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
