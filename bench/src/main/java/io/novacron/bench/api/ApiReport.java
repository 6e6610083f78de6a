package io.novacron.bench.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * api.json and api.md. Each round is one flat map (endpoint, label, kind, figures). A run replaces
 * the rounds of its own label and keeps the others, so "before" and "after" a change sit in one
 * report, each with the commit and load average it was measured under.
 */
final class ApiReport {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ApiReport() {}

  /** The rounds of an earlier api.json, or none when there is no such file. */
  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> previousRounds(Path json) throws IOException {
    if (!Files.exists(json)) {
      return List.of();
    }
    Map<String, Object> root = JSON.readValue(json.toFile(), LinkedHashMap.class);
    return (List<Map<String, Object>>) root.getOrDefault("rounds", List.of());
  }

  /** The earlier rounds without those of {@code label}, then the new ones. */
  static List<Map<String, Object>> merge(List<Map<String, Object>> previous, String label,
      List<Map<String, Object>> fresh) {
    List<Map<String, Object>> all = new ArrayList<>();
    previous.stream().filter(round -> !label.equals(round.get("label"))).forEach(all::add);
    all.addAll(fresh);
    return all;
  }

  static void write(Path dir, Map<String, Object> machine, List<Map<String, Object>> rounds) throws IOException {
    Files.createDirectories(dir);
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("benchmark", "api");
    root.put("machine", machine);
    root.put("rounds", rounds);
    JSON.writeValue(dir.resolve("api.json").toFile(), root);
    Files.writeString(dir.resolve("api.md"), markdown(machine, rounds));
  }

  /** The report's tables: wrk rounds (closed loop: capacity) and fixed-rate rounds (the target). */
  static String markdown(Map<String, Object> machine, List<Map<String, Object>> rounds) {
    StringBuilder md = new StringBuilder();
    md.append("# REST API latency\n\n")
        .append("Written by `novacron bench api` (starter/scripts/bench-api.sh, io.novacron.bench.api.ApiBench); ")
        .append("see [api.json](api.json) for the raw figures. Machine: ").append(machine.get("cpus"))
        .append(" CPUs (").append(machine.get("cpuModel")).append("), Java ").append(machine.get("java"))
        .append(". Load average is the 1-minute figure before and after each round: on a shared machine ")
        .append("the absolute figures are indicative.\n\n")
        .append("## Closed loop (wrk): capacity\n\n")
        .append("Each connection sends its next request when the last one is answered, so req/s is what the ")
        .append("stack serves at that concurrency and latency grows with queueing.\n\n")
        .append("| label | commit | endpoint | rows | connections | s | req/s | p50 ms | p95 ms | p99 ms | errors | load before/after |\n")
        .append("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
    for (Map<String, Object> r : rounds) {
      if ("wrk".equals(r.get("kind"))) {
        md.append(String.format(Locale.ROOT, "| %s | %s | `%s` | %s | %s | %s | %.0f | %s | %s | %s | %s | %s / %s |%n",
            r.get("label"), r.get("commit"), r.get("path"), r.get("rows"), r.get("connections"), r.get("seconds"),
            number(r.get("requestsPerSecond")), ms(r.get("p50Micros")), ms(r.get("p95Micros")), ms(r.get("p99Micros")),
            r.get("errors"), r.get("loadBefore"), r.get("loadAfter")));
      }
    }
    md.append("\n## Open loop (fixed rate): the target\n\n")
        .append("Requests are due at a fixed rate whatever the answers do; latency counts from when a request was ")
        .append("due, so a server that falls behind shows it (no coordinated omission). The issue's target: p95 ")
        .append("under 50 ms at 200 req/s. Requests that failed or timed out (30 s) count as errors and are not in ")
        .append("the percentiles: a round with errors missed the target whatever its p95.\n\n")
        .append("| label | commit | endpoint | rows | target req/s | achieved req/s | s | p50 ms | p95 ms | p99 ms | max ms | errors | load before/after | target |\n")
        .append("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|\n");
    for (Map<String, Object> r : rounds) {
      if ("rate".equals(r.get("kind"))) {
        md.append(String.format(Locale.ROOT, "| %s | %s | `%s` | %s | %s | %.0f | %s | %s | %s | %s | %s | %s | %s / %s | %s |%n",
            r.get("label"), r.get("commit"), r.get("path"), r.get("rows"), r.get("targetPerSecond"),
            number(r.get("achievedPerSecond")), r.get("seconds"), ms(r.get("p50Micros")), ms(r.get("p95Micros")),
            ms(r.get("p99Micros")), ms(r.get("maxMicros")), r.get("errors"), r.get("loadBefore"), r.get("loadAfter"),
            verdict(r)));
      }
    }
    return md.toString();
  }

  /** The bar for a fixed-rate round: p95 under this many microseconds. */
  static final long TARGET_P95_MICROS = 50_000;

  /**
   * Whether a fixed-rate round met the target: no errors, at least 98% of the asked rate served
   * (a server that fell behind missed it whatever its percentiles say) and p95 under 50 ms.
   * Otherwise names the first failed condition.
   */
  static String verdict(Map<String, Object> rate) {
    if (number(rate.get("errors")) > 0) {
      return "missed: errors";
    }
    if (number(rate.get("achievedPerSecond")) < 0.98 * number(rate.get("targetPerSecond"))) {
      return "missed: rate";
    }
    return number(rate.get("p95Micros")) < TARGET_P95_MICROS ? "met" : "missed: p95";
  }

  /** Microseconds as milliseconds with one decimal. */
  static String ms(Object micros) {
    return micros == null ? "-" : String.format(Locale.ROOT, "%.1f", ((Number) micros).longValue() / 1000.0);
  }

  private static double number(Object value) {
    return value == null ? 0 : ((Number) value).doubleValue();
  }
}
