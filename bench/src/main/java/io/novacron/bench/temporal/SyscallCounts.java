package io.novacron.bench.temporal;

import java.util.List;

/** Reads the call counts out of an {@code strace -c} summary. */
final class SyscallCounts {
  private SyscallCounts() {}

  /**
   * The calls of {@code names} together, from a summary whose rows are {@code % time, seconds,
   * usecs/call, calls, [errors,] syscall}; a name without a row counts 0, and so does an empty
   * text: strace writes no summary at all when none of the traced calls was made.
   *
   * @throws IllegalArgumentException when the text is not empty and has no summary header
   */
  static long parse(String summary, List<String> names) {
    if (summary.isBlank()) {
      return 0;
    }
    if (!summary.contains("% time")) {
      throw new IllegalArgumentException("not an strace -c summary: " + summary.strip());
    }
    long total = 0;
    for (String line : summary.lines().toList()) {
      String[] cols = line.trim().split("\\s+");
      if (cols.length >= 5 && names.contains(cols[cols.length - 1]) && cols[0].matches("[0-9.]+")) {
        total += Long.parseLong(cols[3]);
      }
    }
    return total;
  }
}
