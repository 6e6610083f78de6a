package io.novacron.transfer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.BitSet;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongPredicate;

/**
 * The SHA-256 of a partial file, computed ahead while the transfer runs: whenever a group commit
 * has journaled blocks, the part of the file from where the hash stopped up to the first block not
 * yet acknowledged is read back and hashed, so that the commit hashes only what is left.
 *
 * <p>Why this is the same check as hashing the whole file at commit: an acknowledged block is
 * never written again (writes, zero runs and copies all skip blocks the journal holds), so bytes
 * hashed early are the bytes the file holds at commit. What the file does not hold yet (a sparse
 * gap, a tail before the commit extends the file) reads as zeros, as it will then. Before, the
 * commit read and hashed the whole file after the last byte arrived: on a 1 GiB transfer seconds
 * of wall time in which nothing else happened (issue 17).
 *
 * <p>Pages the receiver left as holes ({@link #holes}: all-zero blocks and the zero pages of data
 * blocks in a fresh file, never written) are hashed as zeros without being read. Reading a hole is not free: the kernel
 * allocates and zeroes a page-cache page for every 4 KiB of it before copying it out, about a
 * third of the cost of hashing it, and on a mostly-zero image the receiver's hash was what the
 * sender waited for at the end (issue 17). The bytes hashed are the same: a hole reads as zeros.
 *
 * <p>Thread-safe; {@link #advance} gives way (returns at once) while another thread hashes. A
 * failed read leaves the digest unusable, and {@link #finish} then hashes the file from the start.
 */
final class PrefixHash {
  private static final long KEEPALIVE_NANOS = 2_000_000_000L;

  private final long size;
  private final int blockSize;
  private final ReentrantLock lock = new ReentrantLock();
  private static final byte[] ZEROS = new byte[1 << 20];

  private final ByteBuffer buf = ByteBuffer.allocate(1 << 20);
  /** Hole tracking is by 4 KiB page, the unit of {@link PageRuns}. */
  static final int PAGE = PageRuns.PAGE;
  /** Pages known to be holes; guarded by itself (the writers do not take {@link #lock}). */
  private final BitSet holes = new BitSet();
  private MessageDigest sha = Hashes.sha256();
  private long hashed;
  private boolean broken;
  private byte[] digest;

  /**
   * @param size the file's final length
   * @param blockSize bytes per block
   */
  PrefixHash(long size, int blockSize) {
    this.size = size;
    this.blockSize = blockSize;
  }

  /**
   * Hashes on while blocks are acknowledged; returns at once if another thread is hashing.
   *
   * @param acknowledged whether the journal holds a block
   */
  void advance(FileChannel file, LongPredicate acknowledged) {
    if (!lock.tryLock()) {
      return;
    }
    try {
      if (broken || digest != null) {
        return;
      }
      long block = hashed / blockSize;
      long blocks = (size + blockSize - 1) / blockSize;
      while (block < blocks && acknowledged.test(block)) {
        block++;
      }
      hashTo(file, Math.min(size, block * blockSize), () -> {});
    } catch (IOException | RuntimeException e) {
      broken = true;
    } finally {
      lock.unlock();
    }
  }

  /**
   * The SHA-256 of the whole file, every block of which the journal holds: hashes what is left
   * (or everything, if an earlier read failed). Repeated calls return the same digest.
   *
   * @param keepAlive run every few seconds while hashing
   */
  byte[] finish(FileChannel file, Runnable keepAlive) throws IOException {
    lock.lock();
    try {
      if (digest == null) {
        if (broken) {
          sha = Hashes.sha256();
          hashed = 0;
          broken = false;
        }
        hashTo(file, size, keepAlive);
        digest = sha.digest();
      }
      return digest.clone();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Bytes {@code [from, to)} of the file are holes: all zero and not written, in a file that held
   * no older bytes there. Page-aligned ({@code to} may be the file's end). Hashed as zeros, unread,
   * unless {@link #written} says otherwise later. Files beyond 2^31 pages are not tracked (read).
   */
  void holes(long from, long to) {
    long first = from / PAGE;
    long end = (to + PAGE - 1) / PAGE;
    if (end <= Integer.MAX_VALUE) {
      synchronized (holes) {
        holes.set((int) first, (int) end);
      }
    }
  }

  /** Bytes {@code [from, to)} were written: read them, whatever was said before. */
  void written(long from, long to) {
    long first = from / PAGE;
    long end = Math.min((to + PAGE - 1) / PAGE, Integer.MAX_VALUE);
    if (first < end) {
      synchronized (holes) {
        holes.clear((int) first, (int) end);
      }
    }
  }

  private boolean hole(long page) {
    if (page >= Integer.MAX_VALUE) {
      return false;
    }
    synchronized (holes) {
      return holes.get((int) page);
    }
  }

  /** Bytes hashed so far. */
  long hashed() {
    lock.lock();
    try {
      return hashed;
    } finally {
      lock.unlock();
    }
  }

  /** Where the run of hole pages from {@code page} on ends, at most {@code end}. */
  private long holeRunEnd(long page, long end) {
    long p = page + 1;
    while (p * PAGE < end && hole(p)) {
      p++;
    }
    return Math.min(end, p * PAGE);
  }

  /** Where the bytes to read from {@code page} on end: at the next hole page, at most {@code limit}. */
  private long dataRunEnd(long page, long limit) {
    for (long p = page + 1; p * PAGE < limit; p++) {
      if (hole(p)) {
        return p * PAGE;
      }
    }
    return limit;
  }

  private void hashTo(FileChannel file, long end, Runnable keepAlive) throws IOException {
    long lastBeat = System.nanoTime();
    while (hashed < end) {
      long page = hashed / PAGE;
      if (hole(page)) {
        long stop = holeRunEnd(page, end);
        while (hashed < stop) {
          int n = (int) Math.min(ZEROS.length, stop - hashed);
          sha.update(ZEROS, 0, n);
          hashed += n;
        }
        continue;
      }
      buf.clear();
      buf.limit((int) (dataRunEnd(page, Math.min(end, hashed + buf.capacity())) - hashed));
      int n = file.read(buf, hashed);
      if (n < 0) {
        // Past the end of the file as it is now: zeros, as the commit's extension will read.
        n = buf.limit();
        Arrays.fill(buf.array(), 0, n, (byte) 0);
      }
      sha.update(buf.array(), 0, n);
      hashed += n;
      if (System.nanoTime() - lastBeat > KEEPALIVE_NANOS) {
        keepAlive.run();
        lastBeat = System.nanoTime();
      }
    }
  }
}
