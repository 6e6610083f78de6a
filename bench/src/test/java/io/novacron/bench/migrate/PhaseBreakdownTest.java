package io.novacron.bench.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import io.novacron.bench.migrate.PhaseBreakdown.Span;
import io.novacron.bench.migrate.PhaseBreakdown.Totals;
import io.novacron.workflows.run.PhaseEvent;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PhaseBreakdownTest {
  private static PhaseEvent at(String phase, long ms) {
    return new PhaseEvent(phase, ms, null);
  }

  @Test
  void each_phase_lasts_until_the_next_and_repeats_add_up() {
    Map<String, Long> phases = PhaseBreakdown.phases(1000, List.of(
        at("check", 1100), at("queued", 1150), at("check", 1200), at("prepare-destination", 1500),
        at("transfer", 1800), at("verify", 4800), at("succeeded", 5000)), 5300);

    assertThat(phases).containsExactly(
        Map.entry("start", 100L), Map.entry("check", 350L), Map.entry("queued", 50L),
        Map.entry("prepare-destination", 300L), Map.entry("transfer", 3000L), Map.entry("verify", 200L),
        Map.entry("release + result", 300L));
    assertThat(phases.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(4300L);
  }

  @Test
  void an_empty_timeline_is_all_start() {
    assertThat(PhaseBreakdown.phases(1000, List.of(), 1700)).containsExactly(Map.entry("start", 700L));
  }

  @Test
  void tasks_split_into_the_wait_for_a_worker_and_the_run_per_type() {
    List<Totals> totals = PhaseBreakdown.tasks(List.of(
        new Span("DescribeSource", 0, 40, 100),
        new Span("(workflow task)", 100, 110, 130),
        new Span("DescribeSource", 200, 210, 300),
        new Span("MigrateLive", 300, 320, -1))); // never closed: left out

    assertThat(totals).containsExactly(
        new Totals("DescribeSource", 2, 50, 150),
        new Totals("(workflow task)", 1, 10, 20));
  }
}
