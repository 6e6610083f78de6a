package io.novacron.control.ui;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one place the dashboard turns raw figures into text people read: sizes in binary units
 * ("128 MiB", "1.5 GiB"), rates ("12 MiB/s"), durations ("1 min 12 s") and instants in UTC
 * ("2026-12-06 04:31:08 UTC"). Every page formats through here so the same figure reads the same
 * everywhere.
 */
public final class Units {
  private static final String[] BYTE_UNITS = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  private static final long MIB = 1024L * 1024L;
  private static final long GIB = 1024L * MIB;
  // UTC, not the server's zone: the REST API, the CLI and the logs all speak UTC.
  private static final DateTimeFormatter INSTANT =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

  /** A raw byte count in a workflow's words, e.g. "268435456 B memory". */
  private static final Pattern RAW_BYTES = Pattern.compile("\\b(\\d{4,18}) B\\b");

  private Units() {}

  /**
   * A message with every raw byte count of 1024 or more ("268435456 B") reworded as {@link #bytes}
   * ("256 MiB"): workflows record exact figures in run details, pages show them to people.
   */
  public static String inText(String message) {
    if (message == null) {
      return null;
    }
    Matcher m = RAW_BYTES.matcher(message);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(bytes(Long.parseLong(m.group(1)))));
    }
    return m.appendTail(out).toString();
  }

  /**
   * A byte count in the largest binary unit that keeps it at 1 or more, one decimal at most
   * ("512 B", "128 MiB", "1.5 GiB"); "unknown" for a negative count.
   */
  public static String bytes(long bytes) {
    if (bytes < 0) {
      return "unknown";
    }
    int unit = 0;
    double value = bytes;
    while (value >= 1024 && unit < BYTE_UNITS.length - 1) {
      value /= 1024;
      unit++;
    }
    BigDecimal rounded = BigDecimal.valueOf(value).setScale(unit == 0 ? 0 : 1, RoundingMode.HALF_UP);
    // 1023.96 KiB rounds to 1024.0: say 1 MiB instead.
    if (unit > 0 && rounded.compareTo(BigDecimal.valueOf(1024)) >= 0 && unit < BYTE_UNITS.length - 1) {
      rounded = BigDecimal.ONE;
      unit++;
    }
    return rounded.stripTrailingZeros().toPlainString() + " " + BYTE_UNITS[unit];
  }

  /** Mebibytes, as the inventory records memory, in the same words as {@link #bytes}. */
  public static String mebibytes(long mib) {
    return mib < 0 ? "unknown" : bytes(Math.multiplyExact(mib, MIB));
  }

  /** Gibibytes, as the inventory records disks and the planner GPU memory, in the same words as {@link #bytes}. */
  public static String gibibytes(double gib) {
    return gib < 0 || Double.isNaN(gib) ? "unknown" : bytes(Math.round(gib * GIB));
  }

  /** A throughput: "12.5 MiB/s"; "unknown" for a negative rate. */
  public static String rate(long bytesPerSecond) {
    return bytesPerSecond < 0 ? "unknown" : bytes(bytesPerSecond) + "/s";
  }

  /**
   * A duration in its two largest units ("45 s", "1 min 12 s", "2 h 5 min", "3 d 4 h"); "unknown"
   * for a negative one.
   */
  public static String duration(long seconds) {
    if (seconds < 0) {
      return "unknown";
    }
    long days = seconds / 86_400;
    long hours = seconds % 86_400 / 3600;
    long minutes = seconds % 3600 / 60;
    long secs = seconds % 60;
    if (days > 0) {
      return days + " d " + hours + " h";
    }
    if (hours > 0) {
      return hours + " h " + minutes + " min";
    }
    if (minutes > 0) {
      return minutes + " min " + secs + " s";
    }
    return secs + " s";
  }

  /** A full date and time in UTC, to the second: "2026-12-06 04:31:08 UTC"; "-" for none. */
  public static String instant(Instant instant) {
    return instant == null ? "-" : INSTANT.format(instant);
  }
}
