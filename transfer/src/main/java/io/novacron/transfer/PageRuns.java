package io.novacron.transfer;

import java.util.Arrays;

/**
 * Which bytes of a received block must reach a fresh partial file: the runs of its pages that are
 * not all zero. A page left out stays a hole, which reads as zeros; guest memory is about half
 * zero pages, so this halves what the disk has to take before the group commit's force returns.
 *
 * <p>Only for a region that holds no older bytes (see {@link ReceiveSession#writeData}): there a
 * hole and a written zero page read the same, and the end-to-end SHA-256 checks the result either
 * way.
 */
final class PageRuns {
  static final int PAGE = 4096;
  private static final byte[] ZEROS = new byte[PAGE];

  private PageRuns() {}

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
    int n = 0;
    int runStart = -1;
    for (int off = 0; off < length; off += PAGE) {
      int len = Math.min(PAGE, length - off);
      boolean zero = Arrays.mismatch(data, off, off + len, ZEROS, 0, len) < 0;
      if (!zero && runStart < 0) {
        runStart = off;
      } else if (zero && runStart >= 0) {
        runs[n++] = runStart;
        runs[n++] = off - runStart;
        runStart = -1;
      }
    }
    if (runStart >= 0) {
      runs[n++] = runStart;
      runs[n++] = length - runStart;
    }
    return n / 2;
  }

  /** Room {@link #nonZero} needs for a block of {@code blockSize} bytes. */
  static int[] buffer(int blockSize) {
    int pages = (blockSize + PAGE - 1) / PAGE;
    return new int[pages + 2];
  }
}
