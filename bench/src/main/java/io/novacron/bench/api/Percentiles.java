package io.novacron.bench.api;

import java.util.Arrays;

/** Nearest-rank percentiles of latencies (the same rank rule as the other benchmarks' summaries). */
final class Percentiles {
  private Percentiles() {}

  /**
   * The {@code p}th percentile of {@code values} by nearest rank; -1 when there are none.
   *
   * @param p 0 < p <= 100
   */
  static long of(long[] values, double p) {
    if (p <= 0 || p > 100) {
      throw new IllegalArgumentException("p must be in (0, 100], was " + p);
    }
    if (values.length == 0) {
      return -1;
    }
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, rank - 1)];
  }
}
