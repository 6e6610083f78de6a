package io.novacron.cli;

import java.util.Locale;

/** Sizes, rates and durations as people read them: binary units (MiB, GiB), seconds and minutes. */
final class Units {
  private static final String[] BINARY = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};

  private Units() {}

  /** {@code 512 MiB}, {@code 1.5 GiB}. */
  static String mib(long mib) {
    return bytes(mib * 1024 * 1024);
  }

  /** {@code 4 GiB}, {@code 1.5 TiB}. */
  static String gib(long gib) {
    return bytes(gib * 1024 * 1024 * 1024);
  }

  /** {@code 0 B}, {@code 900 B}, {@code 1.2 KiB}, {@code 3 GiB}: one decimal, none when it is 0. */
  static String bytes(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    double value = bytes;
    int unit = 0;
    while (value >= 1024 && unit < BINARY.length - 1) {
      value /= 1024;
      unit++;
    }
    return decimal(value) + " " + BINARY[unit];
  }

  /** A transfer rate: {@code 112 MiB/s}. */
  static String rate(long bytesPerSecond) {
    return bytes(bytesPerSecond) + "/s";
  }

  /** {@code 42s} below two minutes, {@code 3.5 min} below two hours, {@code 2.1 h} beyond. */
  static String seconds(long seconds) {
    if (seconds < 120) {
      return seconds + "s";
    }
    if (seconds < 7200) {
      return decimal(seconds / 60.0) + " min";
    }
    return decimal(seconds / 3600.0) + " h";
  }

  /** {@code 37%}: whole percents, one decimal below 10. */
  static String percent(double percent) {
    return (percent < 10 ? decimal(percent) : String.valueOf(Math.round(Math.floor(percent)))) + "%";
  }

  private static String decimal(double value) {
    String text = String.format(Locale.ROOT, "%.1f", value);
    return text.endsWith(".0") ? text.substring(0, text.length() - 2) : text;
  }
}
