package io.novacron.transfer.codec;

import java.util.Arrays;
import java.util.List;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code auto} codec policy: a feedback loop over a ladder of codecs, cheapest first (none,
 * lz4, zstd 1, 3, 6, 9, 12), driven by where the stream workers spend their time.
 *
 * <p>Every {@value #WINDOW_MILLIS} ms the loop looks at how the workers' wall-clock time went:
 *
 * <ul>
 *   <li>over {@value #LINK_BOUND_PERCENT}% of it blocked on the socket (cap waits included): the
 *       link is the bottleneck, so it steps one codec up, if that codec's measured output is
 *       smaller than the current one's and the machine has CPU headroom (system CPU load under
 *       {@value #BUSY_PERCENT}%);
 *   <li>over {@value #CPU_BOUND_PERCENT}% of it compressing and hardly any blocked, or the
 *       machine's CPU saturated (load over {@value #SATURATED_PERCENT}%): compression is the
 *       bottleneck or the CPU belongs to someone else (the guests, the receiver on the same
 *       host), so it steps one codec down;
 *   <li>when the current codec's output is not {@value #PAYS_PERCENT}% of its input or less,
 *       compression does not pay and it drops to none.
 * </ul>
 *
 * On a fast link this settles on lz4 or none, on a slow one on the zstd level the spare CPU can
 * sustain: the level where compressing a chunk takes about as long as the link needs for it. The
 * same idea as {@code zstd --adapt}. Shares of wall-clock time, not of busy time, matter: while
 * megabytes of socket buffers fill, writes return at once but the workers are not busy
 * compressing either, and the loop holds instead of mistaking the fill for a fast link. Steps of
 * one rung and the dead band between the thresholds keep the choice from flapping.
 *
 * <p>Ratios are measured: each chunk's output size per codec (an EWMA), and every
 * {@value #PROBE_EVERY}th chunk of a stream is also compressed with the codec one rung up or down,
 * so the loop knows whether the next rung would pay before it climbs. A chunk that does not shrink
 * goes raw regardless, and its stream then skips compression for a few chunks (1, 2, 4 up to
 * {@value #MAX_SKIP}) because incompressible data comes in runs.
 *
 * <p>With a bandwidth cap the link speed is known before the first byte, so the starting rung
 * comes from {@link #best}: the codec that can deliver the most raw bytes per second, taking
 * {@code min(speed * workers, cap / ratio)} with prior speeds and ratios. Without a cap it starts
 * on lz4.
 */
public final class AutoCodecSelector implements CodecSelector {
  private static final Logger log = LoggerFactory.getLogger(AutoCodecSelector.class);

  /** Cheapest first; the index is the rung. */
  static final List<CodecChoice> LADDER = List.of(
      CodecChoice.NONE, CodecChoice.LZ4, CodecChoice.zstd(1), CodecChoice.zstd(3),
      CodecChoice.zstd(6), CodecChoice.zstd(9), CodecChoice.zstd(12));
  /** Single-core speeds (raw bytes/s) and output/input ratios assumed before measuring. */
  static final double[] PRIOR_SPEED = {8e9, 600e6, 300e6, 150e6, 60e6, 35e6, 15e6};
  static final double[] PRIOR_RATIO = {1.0, 0.55, 0.45, 0.42, 0.40, 0.39, 0.38};
  static final long WINDOW_MILLIS = 200;
  static final int WINDOW_CHUNKS = 8;
  static final int LINK_BOUND_PERCENT = 50;
  static final int CPU_BOUND_PERCENT = 70;
  /** "Hardly any" time blocked on the socket, for the step down. */
  static final int NOT_BLOCKED_PERCENT = 15;
  /** System CPU load above which the loop does not climb. */
  static final int BUSY_PERCENT = 85;
  /** System CPU load above which the loop steps down. */
  static final int SATURATED_PERCENT = 95;
  static final int PAYS_PERCENT = 97;
  static final int HYSTERESIS_PERCENT = 5;
  static final int PROBE_EVERY = 8;
  static final int MAX_SKIP = 16;
  private static final double ALPHA = 0.2;
  private static final double PROBE_ALPHA = 0.5;
  private static final int MAX_STREAMS = 64;

  private final LongSupplier nanoTime;
  private final DoubleSupplier cpuLoad;
  private final int workers;
  private final double[] ratio = PRIOR_RATIO.clone();
  private final int[] chunksOfStream = new int[MAX_STREAMS];
  private final int[] skipOfStream = new int[MAX_STREAMS];
  private final int[] streakOfStream = new int[MAX_STREAMS];
  private int current;
  private long windowStart;
  private int windowChunks;
  private long windowCompressNanos;
  private long windowWriteNanos;

  /**
   * @param workers threads that compress in parallel (streams, at most the cores)
   * @param bandwidthCapBytesPerSec the cap; 0 for none
   */
  public AutoCodecSelector(int workers, long bandwidthCapBytesPerSec) {
    this(workers, bandwidthCapBytesPerSec, System::nanoTime, AutoCodecSelector::systemCpuLoad);
  }

  /**
   * @param cpuLoad recent CPU load of the whole machine, 0 to 1
   */
  AutoCodecSelector(int workers, long bandwidthCapBytesPerSec, LongSupplier nanoTime, DoubleSupplier cpuLoad) {
    this.nanoTime = nanoTime;
    this.cpuLoad = cpuLoad;
    this.workers = Math.max(1, workers);
    this.windowStart = nanoTime.getAsLong();
    this.current = bandwidthCapBytesPerSec > 0
        ? best(PRIOR_SPEED, PRIOR_RATIO, bandwidthCapBytesPerSec, Math.max(1, workers), 0)
        : LADDER.indexOf(CodecChoice.LZ4);
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
    // Alternate between one rung up and one down; "none" needs no probe, its ratio is 1.
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
    // Probes are sparse: let each one count more than a chunk of the current codec.
    ratio[i] += (i == current ? ALPHA : PROBE_ALPHA) * (wire / rawBytes - ratio[i]);
    windowCompressNanos += nanos;
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
    windowWriteNanos += nanos;
    windowChunks++;
    long now = nanoTime.getAsLong();
    if (windowChunks >= WINDOW_CHUNKS && now - windowStart >= WINDOW_MILLIS * 1_000_000) {
      decide(now - windowStart);
      windowStart = now;
      windowChunks = 0;
      windowCompressNanos = 0;
      windowWriteNanos = 0;
    }
  }

  @Override
  public synchronized CodecChoice current() {
    return LADDER.get(current);
  }

  private void decide(long wallNanos) {
    double capacity = (double) wallNanos * workers;
    double linkShare = windowWriteNanos / capacity;
    double cpuShare = windowCompressNanos / capacity;
    double load = cpuLoad.getAsDouble();
    int before = current;
    current = step(current, linkShare, cpuShare, load, ratio);
    if (current != before && log.isDebugEnabled()) {
      log.debug("auto codec {} -> {}: workers {}% blocked on the link, {}% compressing, CPU load {}%; ratios {}",
          LADDER.get(before), LADDER.get(current), Math.round(100 * linkShare), Math.round(100 * cpuShare),
          Math.round(100 * load), Arrays.toString(ratio));
    }
  }

  /**
   * One decision of the loop. Pure, for tests.
   *
   * @param linkShare share of the workers' wall-clock time spent blocked on the socket
   * @param cpuShare share of the workers' wall-clock time spent compressing
   * @param cpuLoad the whole machine's recent CPU load, 0 to 1
   * @param ratio measured output/input ratio per rung
   */
  static int step(int current, double linkShare, double cpuShare, double cpuLoad, double[] ratio) {
    if (current > 0 && ratio[current] > PAYS_PERCENT / 100.0) {
      return 0;
    }
    if (linkShare > LINK_BOUND_PERCENT / 100.0 && cpuLoad < BUSY_PERCENT / 100.0 && current + 1 < LADDER.size()
        && ratio[current + 1] < ratio[current] * 0.99 && ratio[current + 1] <= PAYS_PERCENT / 100.0) {
      return current + 1;
    }
    boolean compressionBound = cpuShare > CPU_BOUND_PERCENT / 100.0 && linkShare < NOT_BLOCKED_PERCENT / 100.0;
    if ((compressionBound || cpuLoad > SATURATED_PERCENT / 100.0) && current > 0) {
      return current - 1;
    }
    return current;
  }

  /** The machine's recent CPU load (0 to 1), or 0 where the platform does not say. */
  static double systemCpuLoad() {
    java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
      double load = sun.getCpuLoad();
      return load >= 0 ? load : 0;
    }
    return 0;
  }

  /**
   * The rung that can deliver the most raw bytes per second over a link of known speed: a codec
   * delivers at most {@code speed * workers} (compression) and at most {@code link / ratio} (the
   * link carries compressed bytes). Among rungs within {@value #HYSTERESIS_PERCENT}% of the best
   * the cheapest wins, and a dearer rung must beat {@code current} by that margin. Pure, for
   * tests.
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
}
