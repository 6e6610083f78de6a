package io.novacron.bench.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApiReportTest {
  private static Map<String, Object> round(String label, String kind, long p95) {
    Map<String, Object> round = new LinkedHashMap<>();
    round.put("label", label);
    round.put("commit", "abc123");
    round.put("path", "/api/v1/runs");
    round.put("rows", 10000);
    round.put("kind", kind);
    round.put("connections", 8);
    round.put("seconds", 15);
    round.put("targetPerSecond", 200);
    round.put("achievedPerSecond", 199.5);
    round.put("requestsPerSecond", 812.4);
    round.put("p50Micros", 4200L);
    round.put("p95Micros", p95);
    round.put("p99Micros", 20000L);
    round.put("maxMicros", 50000L);
    round.put("errors", 0);
    round.put("loadBefore", "1.50");
    round.put("loadAfter", "2.10");
    return round;
  }

  @Test
  void a_run_replaces_its_own_label_and_keeps_the_others() {
    List<Map<String, Object>> previous = List.of(round("before", "wrk", 90000), round("after", "wrk", 9000));

    List<Map<String, Object>> merged = ApiReport.merge(previous, "after", List.of(round("after", "wrk", 8000)));

    assertThat(merged).extracting(r -> r.get("label")).containsExactly("before", "after");
    assertThat(merged.get(1).get("p95Micros")).isEqualTo(8000L);
  }

  @Test
  void markdown_puts_wrk_and_fixed_rate_rounds_in_their_tables_in_milliseconds() {
    String md = ApiReport.markdown(Map.of("cpus", 2, "cpuModel", "Test CPU", "java", "17"),
        List.of(round("before", "wrk", 91234), round("after", "rate", 12345)));

    assertThat(md).contains("| before | abc123 | `/api/v1/runs` | 10000 | 8 | 15 | 812 | 4.2 | 91.2 | 20.0 | 0 | 1.50 / 2.10 |");
    assertThat(md).contains("| after | abc123 | `/api/v1/runs` | 10000 | 200 | 200 | 15 | 4.2 | 12.3 | 20.0 | 50.0 | 0 | 1.50 / 2.10 | met |");
    assertThat(md.indexOf("| before |")).isLessThan(md.indexOf("## Open loop"));
    assertThat(md.indexOf("| after |")).isGreaterThan(md.indexOf("## Open loop"));
  }

  @Test
  void a_fixed_rate_round_meets_the_target_only_with_the_rate_served_no_errors_and_p95_under_50_ms() {
    assertThat(ApiReport.verdict(round("a", "rate", 49_999))).isEqualTo("met");
    assertThat(ApiReport.verdict(round("a", "rate", 50_000))).isEqualTo("missed: p95");

    Map<String, Object> behind = round("a", "rate", 6_000);
    behind.put("achievedPerSecond", 144.0);
    assertThat(ApiReport.verdict(behind)).isEqualTo("missed: rate");

    Map<String, Object> failing = round("a", "rate", 6_000);
    failing.put("errors", 3);
    assertThat(ApiReport.verdict(failing)).isEqualTo("missed: errors");
  }
}
