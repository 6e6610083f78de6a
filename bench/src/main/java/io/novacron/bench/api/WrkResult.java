package io.novacron.bench.api;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One wrk round as latency.lua prints it (a {@code NOVACRON_WRK key=value ...} line): wrk's own
 * summary gives no p95, its Lua {@code done} hook does.
 *
 * @param requests answers received (any status)
 * @param durationMicros how long the round ran
 * @param errors connect, read, write and timeout errors plus non-2xx/3xx answers
 * @param non2xx answers with a status of 400 or more (a bad token shows here)
 */
public record WrkResult(long requests, long durationMicros, long errors, long non2xx, long p50Micros,
    long p95Micros, long p99Micros, long maxMicros) {
  private static final Pattern LINE = Pattern.compile("^NOVACRON_WRK (.*)$", Pattern.MULTILINE);
  private static final Pattern PAIR = Pattern.compile("(\\w+)=(-?\\d+)");

  /**
   * The result in wrk's output.
   *
   * @throws IllegalArgumentException when the output has no NOVACRON_WRK line (wrk ran without
   *     latency.lua, or died) or the line lacks a field; the message quotes the output's end
   */
  public static WrkResult parse(String output) {
    Matcher line = LINE.matcher(output);
    if (!line.find()) {
      throw new IllegalArgumentException("no NOVACRON_WRK line in wrk's output (was it run with -s latency.lua?): "
          + tail(output));
    }
    Map<String, Long> fields = new LinkedHashMap<>();
    Matcher pair = PAIR.matcher(line.group(1));
    while (pair.find()) {
      fields.put(pair.group(1), Long.parseLong(pair.group(2)));
    }
    return new WrkResult(field(fields, "requests"), field(fields, "duration_us"), field(fields, "errors"),
        field(fields, "non2xx"), field(fields, "p50_us"), field(fields, "p95_us"), field(fields, "p99_us"),
        field(fields, "max_us"));
  }

  /** Requests per second over the round. */
  public double requestsPerSecond() {
    return durationMicros <= 0 ? 0 : requests * 1_000_000.0 / durationMicros;
  }

  private static long field(Map<String, Long> fields, String name) {
    Long value = fields.get(name);
    if (value == null) {
      throw new IllegalArgumentException("the NOVACRON_WRK line lacks " + name + ": " + fields);
    }
    return value;
  }

  private static String tail(String output) {
    return output.length() <= 400 ? output : output.substring(output.length() - 400);
  }
}
