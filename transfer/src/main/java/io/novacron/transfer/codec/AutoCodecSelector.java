package io.novacron.transfer.codec;

import java.util.Arrays;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code auto} codec policy: a feedback loop over a ladder of codecs, cheapest first (none,
 * lz4, zstd 1, 3, 6, 9, 12), driven by the measured link rate, the measured compression speeds and
 * ratios, and the CPU other processes leave free.
 *
 * <p>Every {@value #WINDOW_MILLIS} ms (and {@value #WINDOW_CHUNKS} chunks) the loop takes a
 * {@link CodecWindow} and picks a target rung with {@link #best}: the codec that delivers the most
 * raw bytes per second, {@code min(speed * usable workers, link rate / ratio)}, where
 *
 * <ul>
 *   <li>the link rate is the bytes written over the time the workers were blocked writing them
 *       ({@link CodecWindow#linkBytesPerSec}): on a link that is the bottleneck, the rate it
 *       carries; on one that is not, far above it;
 *   <li>the speed of each codec is measured on this transfer's chunks (wall-clock, so a busy
 *       machine's preemption slows it down), starting from {@link #PRIOR_SPEED};
 *   <li>the usable workers are the cores other processes leave free, at least half the workers
 *       ({@link CodecWindow#usableWorkers}).
 * </ul>
 *
 * It then moves one rung toward the target. A step down is taken only when compression costs
 * throughput: the workers spend over {@value #CPU_BOUND_PERCENT}% of their time compressing and
 * under {@value #NOT_BLOCKED_PERCENT}% blocked, or they did wait for the link (at least
 * {@value #MEASURED_LINK_PERCENT}% of the time, so its rate is measured) but compressed over twice
 * as long, or the machine is saturated (over
 * {@value #SATURATED_PERCENT}% with other processes using over half of it). Otherwise a lower
 * target (socket buffers still filling, a slow disk) holds the rung. When the current codec's
 * output is not {@value #PAYS_PERCENT}% of its input or less, compression does not pay and it
 * drops to none at once.
 *
 * <p>The machine's total CPU load alone does not step down: the transfer's own compression is part
 * of it, and before this rule a shared build machine at 100% kept {@code auto} on none for the RAM
 * set over a 100 Mbit/s link (issue 17), where zstd 3 costs a quarter of one core.
 *
 * <p>Ratios and speeds are measured: each chunk's output size and time per codec (EWMAs), and every
 * {@value #PROBE_EVERY}th chunk of a stream is also compressed with the codec one rung up or down,
 * so the loop knows what the neighbouring rungs would do before it moves. A chunk that does not
 * shrink goes raw regardless, and its stream then skips compression for a few chunks (1, 2, 4 up
 * to {@value #MAX_SKIP}) because incompressible data comes in runs.
 *
 * <p>Every climb is checked by what it delivered ({@link ClimbCheck}): a climb after which the
 * next window delivers fewer raw bytes per second of wall time than the window before it (beyond
 * {@value ClimbCheck#NOISE_PERCENT}% noise) is taken back and that rung's climb held off for a
 * growing number of windows. The link model cannot tell a slow link from a receiver bound by its
 * disk, hash or a CPU it shares with the sender; the delivered rate can. The first window climbs
 * nowhere: it holds the start and is no reference. While a climb is held off the loop does not
 * probe the rung above either.
 *
 * <p>With a bandwidth cap the link speed is known before the first byte, so the starting rung
 * comes from {@link #best} with prior speeds and ratios. Without a cap it starts on lz4.
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
  static final int CPU_BOUND_PERCENT = 70;
  /** "Hardly any" time blocked on the socket, for the step down. */
  static final int NOT_BLOCKED_PERCENT = 15;
  /** Share of the workers' time blocked on the socket from which the link rate counts as measured. */
  static final int MEASURED_LINK_PERCENT = 2;
  /** Compressing this many times longer than waiting for a measured link also steps down. */
  static final double COMPRESS_OVER_LINK = 2.0;
  /** System CPU load above which the loop steps down, if mostly others' (see class comment). */
  static final int SATURATED_PERCENT = 95;
  /** Share of the workers the transfer may always count on, however busy the machine. */
  static final double MIN_WORKER_SHARE = 0.5;
  static final int PAYS_PERCENT = 97;
  static final int HYSTERESIS_PERCENT = 5;
  static final int PROBE_EVERY = 8;
  static final int MAX_SKIP = 16;
  private static final double ALPHA = 0.2;
  private static final double PROBE_ALPHA = 0.5;
  private static final int MAX_STREAMS = 64;

  /** The machine's CPU load and this process's share of it, both 0 to 1 of all cores. */
  public record CpuLoad(double system, double process) {}

  private final LongSupplier nanoTime;
  private final Supplier<CpuLoad> cpuLoad;
  private final int workers;
  private final int cores;
  private final double[] ratio = PRIOR_RATIO.clone();
  private final double[] speed = PRIOR_SPEED.clone();
  private final int[] chunksOfStream = new int[MAX_STREAMS];
  private final int[] skipOfStream = new int[MAX_STREAMS];
  private final int[] streakOfStream = new int[MAX_STREAMS];
  private int current;
  private long windowStart;
  private int windowChunks;
  private long windowCompressNanos;
  private long windowWriteNanos;
  private long windowWireBytes;
  private long windowRawBytes;
  private final ClimbCheck climbs = new ClimbCheck(LADDER.size());

  /**
   * @param workers threads that compress in parallel (streams, at most the cores)
   * @param bandwidthCapBytesPerSec the cap; 0 for none
   */
  public AutoCodecSelector(int workers, long bandwidthCapBytesPerSec) {
    this(workers, bandwidthCapBytesPerSec, System::nanoTime, AutoCodecSelector::cpuLoad,
        Runtime.getRuntime().availableProcessors());
  }

  AutoCodecSelector(int workers, long bandwidthCapBytesPerSec, LongSupplier nanoTime, Supplier<CpuLoad> cpuLoad,
      int cores) {
    this.nanoTime = nanoTime;
    this.cpuLoad = cpuLoad;
    this.workers = Math.max(1, workers);
    this.cores = Math.max(1, cores);
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
    // Alternate between one rung up and one down; "none" needs no probe, its ratio is 1. While the
    // climb check holds the climb off, only down: the rung above could not be taken anyway.
    boolean up = !climbs.holding(current) && ((n / PROBE_EVERY) % 2 == 0 || current <= 1);
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
    double alpha = i == current ? ALPHA : PROBE_ALPHA;
    ratio[i] += alpha * (wire / rawBytes - ratio[i]);
    if (nanos > 0) {
      speed[i] += alpha * (rawBytes * 1e9 / nanos - speed[i]);
    }
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
  public synchronized void wrote(int rawBytes, int wireBytes, long nanos) {
    windowWriteNanos += nanos;
    windowWireBytes += wireBytes;
    windowRawBytes += rawBytes;
    windowChunks++;
    long now = nanoTime.getAsLong();
    if (windowChunks >= WINDOW_CHUNKS && now - windowStart >= WINDOW_MILLIS * 1_000_000) {
      decide(now - windowStart);
      windowStart = now;
      windowChunks = 0;
      windowCompressNanos = 0;
      windowWriteNanos = 0;
      windowWireBytes = 0;
      windowRawBytes = 0;
    }
  }

  @Override
  public synchronized CodecChoice current() {
    return LADDER.get(current);
  }

  private void decide(long wallNanos) {
    CpuLoad load = cpuLoad.get();
    CodecWindow w = new CodecWindow(wallNanos, workers, windowWireBytes, windowWriteNanos, windowCompressNanos,
        load.system(), load.process(), cores);
    int before = current;
    int proposed = step(current, w, speed, ratio);
    double delivered = ClimbCheck.delivered(windowRawBytes, wallNanos);
    current = climbs.decide(current, proposed, delivered);
    if (current != proposed && log.isDebugEnabled()) {
      log.debug("auto codec stays below {}: the climb check gives {} (delivered {} MB/s raw)",
          LADDER.get(proposed), LADDER.get(current), Math.round(delivered / 1e6));
    }
    if (current != before && log.isDebugEnabled()) {
      log.debug("auto codec {} -> {}: link {} MB/s, workers {}% blocked, {}% compressing, CPU load {}% ({}% ours);"
              + " ratios {}; speeds MB/s {}",
          LADDER.get(before), LADDER.get(current), Math.round(w.linkBytesPerSec() / 1e6),
          Math.round(100 * w.linkShare()), Math.round(100 * w.cpuShare()), Math.round(100 * load.system()),
          Math.round(100 * load.process()), Arrays.toString(ratio), Arrays.toString(megabytes(speed)));
    }
  }

  private static long[] megabytes(double[] bytesPerSec) {
    return Arrays.stream(bytesPerSec).mapToLong(v -> Math.round(v / 1e6)).toArray();
  }

  /**
   * One decision of the loop. Pure, for tests.
   *
   * @param current the rung in use
   * @param w what the workers did in the window
   * @param speed measured single-worker speed per rung, raw bytes/s
   * @param ratio measured output/input ratio per rung
   * @return the rung for the next window: at most one from {@code current}, except the drop to none
   */
  static int step(int current, CodecWindow w, double[] speed, double[] ratio) {
    if (current > 0 && ratio[current] > PAYS_PERCENT / 100.0) {
      return 0;
    }
    int target = best(speed, ratio, w.linkBytesPerSec(), w.usableWorkers(MIN_WORKER_SHARE), current);
    if (target > current) {
      return current + 1;
    }
    if (target < current && costsThroughput(w)) {
      return current - 1;
    }
    return current;
  }

  /**
   * Whether compressing is what holds the transfer back (or takes CPU others need): the workers
   * compress most of the time and hardly wait for the socket, or the machine is saturated and
   * mostly by other processes.
   */
  static boolean costsThroughput(CodecWindow w) {
    boolean compressionBound = w.cpuShare() > CPU_BOUND_PERCENT / 100.0
        && w.linkShare() < NOT_BLOCKED_PERCENT / 100.0;
    // The workers did wait for the link (so its rate is measured, not a buffer filling) but spent
    // more of their time compressing: a cheaper rung that the model says delivers as much wins.
    boolean compressionDominates = w.linkShare() >= MEASURED_LINK_PERCENT / 100.0
        && w.cpuShare() > COMPRESS_OVER_LINK * w.linkShare();
    boolean saturatedByOthers = w.systemLoad() > SATURATED_PERCENT / 100.0
        && w.systemLoad() - w.processLoad() > 0.5;
    return compressionBound || compressionDominates || saturatedByOthers;
  }

  /** The machine's recent CPU load and this process's, or zeros where the platform does not say. */
  static CpuLoad cpuLoad() {
    java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
      return new CpuLoad(Math.max(0, sun.getCpuLoad()), Math.max(0, sun.getProcessCpuLoad()));
    }
    return new CpuLoad(0, 0);
  }

  /**
   * The rung that can deliver the most raw bytes per second over a link of known speed: a codec
   * delivers at most {@code speed * workers} (compression) and at most {@code link / ratio} (the
   * link carries compressed bytes). Among rungs within {@value #HYSTERESIS_PERCENT}% of the best
   * the cheapest wins, and a dearer rung must beat {@code current} by that margin. Pure, for
   * tests.
   */
  static int best(double[] speed, double[] ratio, double linkBps, double workers, int current) {
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

  static double rate(double speed, double ratio, double linkBps, double workers) {
    return Math.min(speed * workers, linkBps / Math.max(ratio, 1e-3));
  }
}
