package io.novacron.checkpoint;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The SHA-256 of each rank file, computed while the sharder writes it, so that a shard set needs no
 * hashing pass of its own (a whole read of every rank file: on a GPU node's NVMe as long as a third
 * of sharding, docs/bench/projection-405b.md).
 *
 * <p>A file's digest needs its bytes in order, but workers write pieces at their offsets in any
 * order. So each file keeps the ranges written beyond its contiguous prefix; whichever worker's
 * piece extends the prefix hashes the newly contiguous bytes, read back from the page cache the
 * write just filled, while the other workers go on writing. At most one thread hashes a file at a
 * time; a worker finding one at work leaves its range to it. Since workers take tensors in the
 * checkpoint's order and rank files hold them in that order, the ranges waiting are at most a few
 * tensors per worker.
 */
final class RankFileDigests {
  /** Read-back size: large enough that a read is cheap per byte, one per worker. */
  static final int READ_BYTES = 1 << 20;

  private final List<FileChannel> channels;
  private final RankFile[] files;

  /** One rank file's progress; guarded by itself, except the digest (only the hashing thread). */
  private static final class RankFile {
    final long size;
    final MessageDigest digest = CheckpointSharder.sha256();
    /** Written ranges beyond the prefix, start to end, never overlapping. */
    final TreeMap<Long, Long> ahead = new TreeMap<>();
    /** Bytes [0, prefix) are written. */
    long prefix;
    /** Bytes [0, hashed) are hashed. */
    long hashed;
    boolean hashing;

    RankFile(long size) {
      this.size = size;
    }
  }

  /**
   * @param channels the rank files, by rank, open for reading
   * @param sizes each file's final size, by rank
   */
  RankFileDigests(List<FileChannel> channels, long[] sizes) {
    if (channels.size() != sizes.length) {
      throw new IllegalArgumentException(channels.size() + " rank files but " + sizes.length + " sizes");
    }
    this.channels = channels;
    this.files = new RankFile[sizes.length];
    for (int rank = 0; rank < sizes.length; rank++) {
      files[rank] = new RankFile(sizes[rank]);
    }
  }

  /**
   * Records that {@code [at, at + bytes)} of {@code rank}'s file is written (and readable), and
   * hashes whatever it makes contiguous unless another thread is hashing that file already.
   *
   * @param scratch the caller's buffer for reading back, {@link #READ_BYTES} or so
   * @throws IllegalStateException where the range overlaps one already recorded or runs past the file
   */
  void written(int rank, long at, long bytes, ByteBuffer scratch) throws IOException {
    if (bytes == 0) {
      return; // an empty tensor's piece: nothing to hash, and its offset may lie inside the prefix
    }
    RankFile f = files[rank];
    synchronized (f) {
      if (at < f.prefix || at + bytes > f.size || overlapsAhead(f, at, at + bytes)) {
        throw new IllegalStateException("rank " + rank + ": range [" + at + ", " + (at + bytes)
            + ") written twice or past the file's " + f.size + " bytes");
      }
      f.ahead.put(at, at + bytes);
      for (Map.Entry<Long, Long> next = f.ahead.firstEntry(); next != null && next.getKey() == f.prefix;
          next = f.ahead.firstEntry()) {
        f.prefix = next.getValue();
        f.ahead.pollFirstEntry();
      }
      if (f.hashing || f.hashed == f.prefix) {
        return;
      }
      f.hashing = true;
    }
    hash(rank, f, scratch);
  }

  /**
   * The file's digest (hex), once every byte of it is written and hashed.
   *
   * @throws IllegalStateException where part of the file was never reported written
   */
  String digest(int rank) {
    RankFile f = files[rank];
    synchronized (f) {
      if (f.hashed != f.size || f.hashing) {
        throw new IllegalStateException("rank " + rank + ": " + f.hashed + " of " + f.size
            + " bytes hashed; the rest was never reported written");
      }
      return HexFormat.of().formatHex(f.digest.digest());
    }
  }

  /** Hashes up to the prefix, again while other threads extend it; then gives the file up. */
  private void hash(int rank, RankFile f, ByteBuffer scratch) throws IOException {
    FileChannel channel = channels.get(rank);
    try {
      while (true) {
        long from;
        long to;
        synchronized (f) {
          from = f.hashed;
          to = f.prefix;
          if (from == to) {
            f.hashing = false;
            return;
          }
        }
        for (long at = from; at < to; ) {
          scratch.clear().limit((int) Math.min(scratch.capacity(), to - at));
          while (scratch.hasRemaining()) {
            if (channel.read(scratch, at + scratch.position()) < 0) {
              throw new EOFException("rank " + rank + " file ends at " + (at + scratch.position())
                  + ", before the written range's end " + to);
            }
          }
          scratch.flip();
          at += scratch.remaining();
          f.digest.update(scratch);
        }
        synchronized (f) {
          f.hashed = to;
        }
      }
    } catch (IOException | RuntimeException e) {
      synchronized (f) {
        f.hashing = false; // the run fails; digest() then reports the file unhashed
      }
      throw e;
    }
  }

  private static boolean overlapsAhead(RankFile f, long start, long end) {
    Map.Entry<Long, Long> before = f.ahead.floorEntry(start);
    if (before != null && before.getValue() > start) {
      return true;
    }
    Map.Entry<Long, Long> after = f.ahead.ceilingEntry(start);
    return after != null && after.getKey() < end;
  }
}
