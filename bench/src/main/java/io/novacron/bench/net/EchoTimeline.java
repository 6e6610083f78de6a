package io.novacron.bench.net;

import java.util.Arrays;
import java.util.Locale;

/**
 * What a {@link NetProbe} saw, and the numbers it reports: when each echo came back and its round
 * trip. Pure bookkeeping, no I/O, so that the gap and percentile arithmetic has tests of its own.
 *
 * <p>The network-visible downtime is the longest gap between two consecutive echoes. Echoes that
 * stop for good count too: the time from the last echo to the end of sending is a gap, so a guest
 * that went away does not look healthy because its last echoes were regular.
 */
public final class EchoTimeline {
  private final long startNanos;
  private long sent;
  private long[] echoAt = new long[1024];
  private long[] rtt = new long[1024];
  private int echoed;

  /** @param startNanos {@link System#nanoTime()} when the first message went out (or is about to) */
  public EchoTimeline(long startNanos) {
    this.startNanos = startNanos;
  }

  public synchronized void sent() {
    sent++;
  }

  /**
   * An echo came back.
   *
   * @param receivedNanos {@link System#nanoTime()} at its arrival; not before the previous echo's
   * @param rttNanos its round trip
   */
  public synchronized void echoed(long receivedNanos, long rttNanos) {
    if (echoed == echoAt.length) {
      echoAt = Arrays.copyOf(echoAt, echoed * 2);
      rtt = Arrays.copyOf(rtt, echoed * 2);
    }
    echoAt[echoed] = receivedNanos;
    rtt[echoed] = rttNanos;
    echoed++;
  }

  public synchronized long sentCount() {
    return sent;
  }

  public synchronized long echoedCount() {
    return echoed;
  }

  /**
   * The numbers so far.
   *
   * @param endNanos when sending stopped: the end of the last gap when echoes stopped coming
   */
  public synchronized Summary summarize(long endNanos) {
    Gap gap = longestGap(Arrays.copyOf(echoAt, echoed), startNanos, endNanos);
    long[] sorted = Arrays.copyOf(rtt, echoed);
    Arrays.sort(sorted);
    return new Summary(sent, echoed, millis(endNanos - startNanos), millis(gap.nanos()),
        millis(gap.startNanos() - startNanos), millis(percentile(sorted, 50)), millis(percentile(sorted, 99)),
        echoed == 0 ? 0 : millis(sorted[echoed - 1]));
  }

  /** A gap between two echoes: when it began (the earlier echo) and how long it lasted. */
  public record Gap(long startNanos, long nanos) {}

  /**
   * The longest stretch without an echo: between two consecutive echoes, or from the last echo to
   * {@code endNanos}; with no echo at all, from {@code startNanos} to {@code endNanos}.
   *
   * @param echoTimes arrival times, in order
   */
  public static Gap longestGap(long[] echoTimes, long startNanos, long endNanos) {
    if (echoTimes.length == 0) {
      return new Gap(startNanos, Math.max(0, endNanos - startNanos));
    }
    Gap longest = new Gap(echoTimes[0], 0);
    for (int i = 1; i < echoTimes.length; i++) {
      long gap = echoTimes[i] - echoTimes[i - 1];
      if (gap > longest.nanos()) {
        longest = new Gap(echoTimes[i - 1], gap);
      }
    }
    long last = echoTimes[echoTimes.length - 1];
    if (endNanos - last > longest.nanos()) {
      longest = new Gap(last, endNanos - last);
    }
    return longest;
  }

  /** The nearest-rank percentile of sorted values; 0 for none. */
  public static long percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
      return 0;
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
  }

  static double millis(long nanos) {
    return nanos / 1_000_000.0;
  }

  /**
   * The report.
   *
   * @param longestGapAtMs when the longest gap began, from the start of the probe
   */
  public record Summary(long sent, long echoed, double durationMs, double longestGapMs, double longestGapAtMs,
      double rttP50Ms, double rttP99Ms, double rttMaxMs) {

    /** One JSON object on one line, with the connection's facts the timeline does not know. */
    public String toJson(String target, int localPort, boolean sameConnection, String error) {
      return String.format(Locale.ROOT,
          "{\"target\":\"%s\",\"local_port\":%d,\"duration_ms\":%.1f,\"sent\":%d,\"echoed\":%d,\"lost\":%d,"
              + "\"longest_gap_ms\":%.1f,\"longest_gap_at_ms\":%.1f,\"rtt_p50_ms\":%.3f,\"rtt_p99_ms\":%.3f,"
              + "\"rtt_max_ms\":%.3f,\"same_connection\":%s,\"error\":%s}",
          escape(target), localPort, durationMs, sent, echoed, sent - echoed, longestGapMs, longestGapAtMs,
          rttP50Ms, rttP99Ms, rttMaxMs, sameConnection, error == null ? "null" : "\"" + escape(error) + "\"");
    }
  }

  static String escape(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) {
            b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.toString();
  }
}
