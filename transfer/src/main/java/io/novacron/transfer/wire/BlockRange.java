package io.novacron.transfer.wire;

/**
 * Consecutive blocks {@code [start, start + count)}.
 *
 * @param start first block
 * @param count number of blocks, at least 1
 */
public record BlockRange(long start, int count) {
  public long end() {
    return start + count;
  }
}
