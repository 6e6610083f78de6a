package io.novacron.host.transfer.codec;

import java.util.List;

/**
 * The {@code auto} codec policy: picks, from measurements, the codec that moves raw bytes fastest.
 *
 * <p>A codec {@code c} can deliver at most {@code speed(c) * workers} raw bytes per second (its
 * measured single-thread compression speed times the threads compressing) and at most
 * {@code link / ratio(c)} (the link carries compressed bytes). The better of those two limits wins:
 * on a fast link the CPU limit dominates and the choice falls to lz4 or none; on a slow link the
 * link limit dominates and the CPU left over buys a higher zstd level. Among codecs within
 * {@value #HYSTERESIS_PERCENT}% of the best the cheapest wins (CPU belongs to the guests), and a
 * dearer codec must beat the current one by that margin to replace it, so the choice does not flap.
 *
 * <p>What is measured: every chunk's compression time and output size (an EWMA per codec), and the
 * time streams spend blocked writing to the socket (cap waits included). When writes block, the
 * link is the bottleneck and bytes / blocked time is its speed; when they do not, the estimate is
 * large and compression has to pay for itself in CPU. Every {@value #PROBE_EVERY}th chunk of a
 * stream is also compressed with a neighbouring codec on the ladder so their estimates stay
 * current. A chunk that does not shrink goes raw, and a stream then skips compression for a few
 * chunks (1, 2, 4 up to {@value #MAX_SKIP}) because incompressible data comes in runs.
 */
public final class AutoCodecSelector implements CodecSelector {
  /** Cheapest first; the index is the ladder position. */
  static final List<CodecChoice> LADDER = List.of(
      CodecChoice.NONE, CodecChoice.LZ4, CodecChoice.zstd(1), CodecChoice.zstd(3),
      CodecChoice.zstd(6), CodecChoice.zstd(9), CodecChoice.zstd(12));
  /**
   * Starting estimates (raw bytes/s on one core, output/input) for a mix like guest memory; the
   * first measurements replace them within a few chunks.
   */
  private static final double[] PRIOR_SPEED = {8e9, 600e6, 300e6, 150e6, 60e6, 35e6, 15e6};
  private static final double[] PRIOR_RATIO = {1.0, 0.55, 0.45, 0.42, 0.40, 0.39, 0.38};
  static final int HYSTERESIS_PERCENT = 5;
  static final int PROBE_EVERY = 16;
  static final int DECIDE_EVERY = 32;
  static final int MAX_SKIP = 16;
  private static final double ALPHA = 0.2;
  private static final int MAX_STREAMS = 64;

  private final int workers;
  private final double[] speed = PRIOR_SPEED.clone();
  private final double[] ratio = PRIOR_RATIO.clone();
  private final int[] chunksOfStream = new int[MAX_STREAMS];
  private final int[] skipOfStream = new int[MAX_STREAMS];
  private final int[] streakOfStream = new int[MAX_STREAMS];
  private double linkBps;
  private int current = 1;
  private int sinceDecision;
  private long windowWireBytes;
  private long windowWriteNanos;

  /**
   * @param workers threads that compress in parallel (streams, at most the cores)
   * @param bandwidthCapBytesPerSec the cap, which bounds the link; 0 for none
   */
  public AutoCodecSelector(int workers, long bandwidthCapBytesPerSec) {
    this.workers = Math.max(1, workers);
    this.linkBps = bandwidthCapBytesPerSec > 0 ? bandwidthCapBytesPerSec : Double.POSITIVE_INFINITY;
    this.current = best(speed, ratio, linkBps, this.workers, current);
  }

  @Override
  public synchronized CodecChoice next(int stream) {
    int s = stream % MAX_STREAMS;
    chunksOfStream[s]++;
    if (skipOfStream[s] > 0) {
      skipOfStream[s]--;
      return CodecChoice.NONE;
    }
    return LADDER.get(current);
  }

  @Override
  public synchronized CodecChoice probe(int stream) {
    int n = chunksOfStream[stream % MAX_STREAMS];
    if (n % PROBE_EVERY != 0) {
      return null;
    }
    // Alternate between the next codec up and the next down; never "probe" none, whose cost and
    // ratio are known.
    boolean up = (n / PROBE_EVERY) % 2 == 0 || current <= 1;
    int i = up ? current + 1 : current - 1;
    return i >= 1 && i < LADDER.size() ? LADDER.get(i) : null;
  }

  @Override
  public synchronized void compressed(CodecChoice codec, int rawBytes, int outBytes, long nanos) {
    int i = LADDER.indexOf(codec);
    if (i <= 0 || rawBytes <= 0) {
      return;
    }
    double wire = Math.min(outBytes < 0 ? rawBytes : outBytes, rawBytes);
    ratio[i] = ewma(ratio[i], wire / rawBytes);
    speed[i] = ewma(speed[i], rawBytes * 1e9 / Math.max(nanos, 1000));
  }

  @Override
  public synchronized void outcome(int stream, boolean shrank) {
    int s = stream % MAX_STREAMS;
    if (shrank) {
      streakOfStream[s] = 0;
    } else {
      streakOfStream[s] = Math.min(streakOfStream[s] + 1, 5);
      skipOfStream[s] = Math.min(1 << (streakOfStream[s] - 1), MAX_SKIP);
    }
  }

  @Override
  public synchronized void wrote(int wireBytes, long nanos) {
    windowWireBytes += wireBytes;
    windowWriteNanos += nanos;
    if (++sinceDecision >= DECIDE_EVERY) {
      decide();
    }
  }

  @Override
  public synchronized CodecChoice current() {
    return LADDER.get(current);
  }

  /** Link speed as measured so far, bytes/s (infinite while the link never held the sender up). */
  public synchronized double linkBytesPerSec() {
    return linkBps;
  }

  private void decide() {
    if (windowWriteNanos > 0 && windowWireBytes > 0) {
      // Streams blocked side by side share the link: per-stream blocked time over the workers.
      double measured = windowWireBytes * 1e9 / (windowWriteNanos / (double) workers);
      linkBps = Double.isInfinite(linkBps) ? measured : ewma(linkBps, measured);
    }
    windowWireBytes = 0;
    windowWriteNanos = 0;
    sinceDecision = 0;
    current = best(speed, ratio, linkBps, workers, current);
  }

  /**
   * The cheapest codec that delivers within {@value #HYSTERESIS_PERCENT}% of the best deliverable
   * raw throughput: spending CPU for the last few percent is not worth it on a host that runs
   * guests. A more expensive codec replaces {@code current} only when it beats it by that margin,
   * so measurement noise does not make the choice flap. Pure, for tests.
   */
  static int best(double[] speed, double[] ratio, double linkBps, int workers, int current) {
    double bestRate = 0;
    for (int i = 0; i < speed.length; i++) {
      bestRate = Math.max(bestRate, rate(speed[i], ratio[i], linkBps, workers));
    }
    double goodEnough = bestRate * (1 - HYSTERESIS_PERCENT / 100.0);
    int cheapest = 0;
    while (rate(speed[cheapest], ratio[cheapest], linkBps, workers) < goodEnough) {
      cheapest++;
    }
    if (cheapest > current
        && rate(speed[cheapest], ratio[cheapest], linkBps, workers)
            <= rate(speed[current], ratio[current], linkBps, workers) * (1 + HYSTERESIS_PERCENT / 100.0)) {
      return current;
    }
    return cheapest;
  }

  static double rate(double speed, double ratio, double linkBps, int workers) {
    return Math.min(speed * workers, linkBps / Math.max(ratio, 1e-3));
  }

  private static double ewma(double old, double sample) {
    return old + ALPHA * (sample - old);
  }
}
