package io.novacron.transfer.codec;

/**
 * Checks every climb of the {@code auto} loop by what it delivered: the raw bytes per second of
 * wall time that reached the wire ({@link #delivered}), the one figure that counts for the
 * transfer.
 *
 * <p>Why: {@link AutoCodecSelector#best} models the link from the time the workers are blocked
 * writing. A receiver that is bound by its disk, its SHA-256 or a CPU shared with the sender also
 * blocks those writes, so it looks like a slow link and the model climbs to a dearer codec; on two
 * cores shared by both ends that codec's CPU then slows the receiver down further (issue 17: on
 * the 1 Gbit/s bench fixed lz4 beat {@code auto}, which had climbed to zstd, in every run).
 *
 * <p>So after a climb the next window is compared with the window before it: if it delivered
 * more than {@value #NOISE_PERCENT}% less, the loop steps back and does not climb from that rung
 * again for {@value #FIRST_HOLD} windows, twice as many after each further failed climb (up to
 * {@value #MAX_HOLD}); a climb that pays resets that rung's back-off. The first window of a
 * transfer decides no climb: it holds the start (connections, socket buffers filling, code not
 * yet compiled) and is no reference for the next.
 *
 * <p>One instance per transfer, driven by the selector under its lock; not thread-safe. The
 * decision rules are the pure {@link #paid} and {@link #holdWindows}.
 */
final class ClimbCheck {
  /** A climb must not deliver more than this much less than the window before it. */
  static final int NOISE_PERCENT = 5;
  /** Windows a rung's first failed climb holds it off; doubled per further failure. */
  static final int FIRST_HOLD = 4;
  static final int MAX_HOLD = 64;

  private final int[] failures;
  private final long[] heldUntil;
  private long window;
  /** The rung the loop climbed from in the window before, or -1: no climb to check. */
  private int from = -1;
  private double rateBefore;

  ClimbCheck(int rungs) {
    this.failures = new int[rungs];
    this.heldUntil = new long[rungs];
  }

  /**
   * The rung for the next window, given the one in use, the one {@link AutoCodecSelector#step}
   * proposes and the raw rate this window delivered.
   */
  int decide(int current, int proposed, double delivered) {
    window++;
    if (from >= 0) {
      int f = from;
      from = -1;
      if (!paid(rateBefore, delivered)) {
        failures[f]++;
        heldUntil[f] = window + holdWindows(failures[f]);
        // Back to where it came from, or lower if the loop wants that anyway (data gone random).
        return Math.min(f, proposed);
      }
      failures[f] = 0;
    }
    if (proposed > current) {
      if (window <= 1 || window < heldUntil[current]) {
        return current;
      }
      from = current;
      rateBefore = delivered;
    }
    return proposed;
  }

  /**
   * Whether a climb from {@code rung} would be refused now: the first window, or a back-off after
   * a failed climb. The selector then does not probe the rung above (its figures would not be
   * used, and on a CPU-bound transfer every probe costs throughput).
   */
  boolean holding(int rung) {
    return window < 1 || window < heldUntil[rung];
  }

  /**
   * Whether a climb paid: the window after it delivered at least the window before it, less
   * {@value #NOISE_PERCENT}% for noise. Pure.
   */
  static boolean paid(double before, double after) {
    return after >= before * (1 - NOISE_PERCENT / 100.0);
  }

  /** Windows to hold a rung's climb off after its {@code failures}th failed climb (1 or more). Pure. */
  static int holdWindows(int failures) {
    int shift = Math.min(Math.max(failures, 1) - 1, 16);
    return (int) Math.min(MAX_HOLD, (long) FIRST_HOLD << shift);
  }

  /** Raw bytes per second of wall time: what a window delivered. Pure. */
  static double delivered(long rawBytes, long wallNanos) {
    return wallNanos <= 0 ? 0 : rawBytes * 1e9 / wallNanos;
  }
}
