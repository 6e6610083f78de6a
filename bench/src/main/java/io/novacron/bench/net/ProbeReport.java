package io.novacron.bench.net;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.List;

/**
 * The part of a {@link NetProbe}'s JSON line that the migration benchmark keeps: the
 * network-visible downtime (longest gap between consecutive echoes), whether the one TCP
 * connection lasted (which also proves the guest answered on the same address before and after),
 * and the echoes that never came back.
 *
 * @param target {@code ip:port} the probe talked to
 * @param sent lines sent
 * @param echoed lines echoed back
 * @param lost sent minus echoed
 * @param longestGapMs longest time between two consecutive echoes (or from the last echo to the end)
 * @param sameConnection the one connection was neither reset nor closed and every echo came back in order
 * @param error why the connection broke, or null
 */
public record ProbeReport(String target, long sent, long echoed, long lost, double longestGapMs,
    boolean sameConnection, String error) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * The report in a probe's standard output: its last line that is a JSON object (the probe
   * prints exactly one, but a JVM warning on stdout must not hide it).
   *
   * @throws IllegalArgumentException when there is no such line or it lacks a field the bench needs
   */
  public static ProbeReport parse(String stdout) {
    List<String> lines = stdout == null ? List.of() : stdout.lines().map(String::strip)
        .filter(l -> l.startsWith("{") && l.endsWith("}")).toList();
    if (lines.isEmpty()) {
      throw new IllegalArgumentException("no JSON report in the probe's output: \"" + stdout + "\"");
    }
    String line = lines.get(lines.size() - 1);
    JsonNode n;
    try {
      n = JSON.readTree(line);
    } catch (IOException e) {
      throw new IllegalArgumentException("the probe's report is not JSON: " + line, e);
    }
    for (String field : List.of("target", "sent", "echoed", "lost", "longest_gap_ms", "same_connection")) {
      if (!n.hasNonNull(field)) {
        throw new IllegalArgumentException("the probe's report has no " + field + ": " + line);
      }
    }
    JsonNode error = n.get("error");
    return new ProbeReport(n.get("target").asText(), n.get("sent").asLong(), n.get("echoed").asLong(),
        n.get("lost").asLong(), n.get("longest_gap_ms").asDouble(), n.get("same_connection").asBoolean(),
        error == null || error.isNull() ? null : error.asText());
  }

  /**
   * The client's connection survived the move: not reset or closed AND every echo came back. The
   * probe's own {@code same_connection} is only the first half: after a cold move the client's
   * retransmissions may not have reached the rebooted guest (which would reset them) before the
   * probe stops, so an untouched socket with hundreds of echoes missing is not a survivor.
   */
  public boolean survived() {
    return sameConnection && lost == 0 && error == null;
  }

  /** The gap in whole milliseconds, rounded, for percentiles. */
  public long longestGapMillis() {
    return Math.round(longestGapMs);
  }
}
