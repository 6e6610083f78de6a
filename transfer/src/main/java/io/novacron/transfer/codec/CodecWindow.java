package io.novacron.transfer.codec;

/**
 * What the stream workers of one transfer did during one window of the {@code auto} loop: the
 * measured input of its decision (see {@link AutoCodecSelector#step}).
 *
 * @param wallNanos length of the window
 * @param workers threads that compress and write in parallel
 * @param wireBytes bytes the workers put on the wire in the window
 * @param writeNanos the workers' time blocked writing them (socket and cap waits), summed
 * @param compressNanos the workers' time compressing, summed
 * @param systemLoad the whole machine's CPU load, 0 to 1
 * @param processLoad this process's share of it, 0 to 1 (the same scale)
 * @param cores CPUs of the machine
 */
public record CodecWindow(long wallNanos, int workers, long wireBytes, long writeNanos, long compressNanos,
    double systemLoad, double processLoad, int cores) {

  /** Share of the workers' wall-clock time spent blocked on the socket. */
  public double linkShare() {
    return writeNanos / capacity();
  }

  /** Share of the workers' wall-clock time spent compressing. */
  public double cpuShare() {
    return compressNanos / capacity();
  }

  /**
   * How fast the link takes bytes, in bytes/s: the bytes written over the time the workers were
   * blocked writing them (per worker, as they write side by side). While the link is the bottleneck
   * the workers are blocked nearly all the time and this is the rate the receiver acknowledges; while
   * it is not, writes return quickly and this is far above what was sent, which is the point: the
   * link could take more. Infinite when nothing blocked.
   */
  public double linkBytesPerSec() {
    double blockedNanos = (double) writeNanos / Math.max(1, workers);
    if (blockedNanos <= 0) {
      return Double.POSITIVE_INFINITY;
    }
    return wireBytes * 1e9 / blockedNanos;
  }

  /**
   * Workers' worth of CPU the transfer may spend compressing: the cores other processes leave
   * free, but never under {@code minShare} of the workers (the scheduler gives busy threads a fair
   * share anyway, and measured speeds already count the time they were preempted) nor over all of
   * them.
   */
  public double usableWorkers(double minShare) {
    double others = Math.max(0, systemLoad - processLoad) * cores;
    double free = cores - others;
    return Math.max(minShare * workers, Math.min(workers, free));
  }

  private double capacity() {
    return Math.max(1.0, (double) wallNanos * Math.max(1, workers));
  }
}
