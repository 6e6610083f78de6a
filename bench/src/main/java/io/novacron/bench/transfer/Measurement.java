package io.novacron.bench.transfer;

/**
 * One benchmark result (the median of its runs).
 *
 * @param profile link profile: {@code loopback} or {@code wan}
 * @param dataSet data set name
 * @param method what moved the bytes
 * @param rawBytes size of the file
 * @param wallSeconds from start to the file being complete at the receiver
 * @param wireBytes bytes through the link, both directions
 * @param cpuSeconds user + system CPU of both ends (engine: the JVM minus the link proxy)
 * @param identical the received file equals the source, byte for byte
 * @param runs how many runs the median is of
 * @param note what else to know (codec mix, attempts)
 */
public record Measurement(
    String profile, String dataSet, String method, long rawBytes, double wallSeconds, long wireBytes,
    double cpuSeconds, boolean identical, int runs, String note) {

  public double mibPerSec() {
    return wallSeconds > 0 ? rawBytes / wallSeconds / (1 << 20) : 0;
  }

  /**
   * Raw MiB moved per CPU-second of both ends: the throughput one core sustains. On the unshaped
   * loopback, where the link does not limit, this is what a node's cores scale.
   */
  public double mibPerCpuSecond() {
    return cpuSeconds > 0 ? rawBytes / cpuSeconds / (1 << 20) : 0;
  }

  public double reduction() {
    return wireBytes > 0 ? (double) rawBytes / wireBytes : 0;
  }
}
