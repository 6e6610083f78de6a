package io.novacron.transfer;

import io.novacron.transfer.codec.ZeroPages;
import java.util.Arrays;

/**
 * Which bytes of a received block must reach a fresh partial file: the runs of its pages that are
 * not all zero. A page left out stays a hole, which reads as zeros; guest memory is about half
 * zero pages, so this halves what the disk has to take before the group commit's force returns.
 *
 * <p>Only for a region that holds no older bytes (see {@link ReceiveSession#writeData}): there a
 * hole and a written zero page read the same, and the end-to-end SHA-256 checks the result either
 * way.
 *
 * <p>An instance is one connection's buffer for the current block (not thread-safe; one per
 * stream, so no array is allocated per block). The runs come from the frame's zero-page bitmap
 * when the sender sent one ({@link #fromBitmap}): the sender already found the zero pages, and
 * scanning them again costs a full compare of every zero page. Otherwise they are found by
 * scanning the block, and only if the write path asks ({@link #of}): a region that may hold older
 * bytes is written whole and needs no runs.
 */
final class PageRuns {
  static final int PAGE = 4096;
  private static final byte[] ZEROS = new byte[PAGE];

  static {
    // The bitmap of a Data frame has one bit per ZeroPages page: the same page size.
    if (ZeroPages.PAGE != PAGE) {
      throw new AssertionError("PageRuns.PAGE must equal ZeroPages.PAGE");
    }
  }

  private final int[] runs;
  /** Runs stored for the current block; -1 while they are not known (scan on demand). */
  private int count = -1;

  /** A buffer for blocks of up to {@code blockSize} bytes. */
  PageRuns(int blockSize) {
    this.runs = buffer(blockSize);
  }

  /** The next block's runs are not known: {@link #of} will scan it. */
  void unknown() {
    count = -1;
  }

  /**
   * The next block's runs, from the zero-page bitmap of its Data frame (see
   * {@link ZeroPages#pack}; bit set = page all zero). The caller has checked the bitmap
   * ({@link ZeroPages#packedLength}) and the block's checksum covers the unpacked pages.
   */
  void fromBitmap(byte[] bitmap, int offset, int length) {
    count = fromBitmap(bitmap, offset, length, runs);
  }

  /** The runs of {@code data[0, length)}: those the bitmap gave, or found by scanning now. */
  int of(byte[] data, int length) {
    if (count < 0) {
      count = nonZero(data, length, runs);
    }
    return count;
  }

  /** Offset of run {@code r} of the current block. */
  int start(int r) {
    return runs[2 * r];
  }

  /** Length of run {@code r} of the current block. */
  int length(int r) {
    return runs[2 * r + 1];
  }

  /**
   * Finds the non-zero runs of {@code data[0, length)}, page by page (the last page may be short),
   * and stores them as (offset, length) pairs in {@code runs}, which needs room for
   * {@code pages + 1} entries (at most every other page starts a run).
   *
   * @return how many runs were stored (0: the whole block is zero)
   */
  static int nonZero(byte[] data, int length, int[] runs) {
    if (length < 0 || length > data.length) {
      throw new IllegalArgumentException("length " + length + " is outside the block's " + data.length + " bytes");
    }
    Builder b = new Builder(runs);
    for (int off = 0; off < length; off += PAGE) {
      int len = Math.min(PAGE, length - off);
      b.page(off, Arrays.mismatch(data, off, off + len, ZEROS, 0, len) < 0);
    }
    return b.end(length);
  }

  /**
   * The same runs as {@link #nonZero} gives for the unpacked block, read from a zero-page bitmap
   * ({@code bitmap[offset..]}, one bit per page, least significant first, set for a zero page)
   * instead of the block's bytes. Pure, for tests.
   *
   * @return how many runs were stored
   */
  static int fromBitmap(byte[] bitmap, int offset, int length, int[] runs) {
    if (length < 0) {
      throw new IllegalArgumentException("length " + length + " is negative");
    }
    Builder b = new Builder(runs);
    for (int p = 0, off = 0; off < length; p++, off += PAGE) {
      b.page(off, (bitmap[offset + (p >> 3)] & (1 << (p & 7))) != 0);
    }
    return b.end(length);
  }

  /** Room {@link #nonZero} needs for a block of {@code blockSize} bytes. */
  static int[] buffer(int blockSize) {
    int pages = (blockSize + PAGE - 1) / PAGE;
    return new int[pages + 2];
  }

  /** Merges consecutive non-zero pages into (offset, length) pairs. */
  private static final class Builder {
    private final int[] runs;
    private int n;
    private int runStart = -1;

    Builder(int[] runs) {
      this.runs = runs;
    }

    void page(int off, boolean zero) {
      if (!zero && runStart < 0) {
        runStart = off;
      } else if (zero && runStart >= 0) {
        runs[n++] = runStart;
        runs[n++] = off - runStart;
        runStart = -1;
      }
    }

    int end(int length) {
      if (runStart >= 0) {
        runs[n++] = runStart;
        runs[n++] = length - runStart;
      }
      return n / 2;
    }
  }
}
