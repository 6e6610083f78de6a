package io.novacron.bench.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import io.novacron.bench.migrate.MigrationBench.Move;
import io.novacron.bench.net.ProbeReport;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BenchSummaryTest {
  @Test
  void percentiles_are_nearest_rank() {
    List<Long> values = List.of(300L, 100L, 200L);
    assertThat(BenchSummary.percentile(values, 50)).isEqualTo(200);
    assertThat(BenchSummary.percentile(values, 95)).isEqualTo(300);
    assertThat(BenchSummary.percentile(List.of(), 50)).isEqualTo(-1);
  }

  @Test
  @SuppressWarnings("unchecked")
  void ratios_compare_migrate_vm_with_the_virsh_baseline_and_skip_unknown_values() {
    List<Map<String, Object>> rows = List.of(
        Map.of("set", "live", "migrateVm", new Move(6000, 100, 30), "virshBaseline", new Move(3000, 200, 60)),
        Map.of("set", "live", "migrateVm", new Move(8000, -1, 30), "virshBaseline", new Move(4000, 400, 60)));

    Map<String, Object> live = BenchSummary.summarize(MigrationBench.SETS, rows).get(0);
    Map<String, Object> ratio = (Map<String, Object>) live.get("ratioToVirsh");

    assertThat(live.get("rounds")).isEqualTo(2);
    assertThat(ratio.get("totalP50")).isEqualTo(2.0);
    assertThat(ratio.get("downtimeP50")).isEqualTo(0.5); // the unknown downtime (-1) is left out
    assertThat(ratio.get("wireBytesP50")).isEqualTo(0.5);
  }

  private static ProbeReport net(double gapMs, boolean same) {
    return new ProbeReport("10.77.0.100:7", 300, same ? 300 : 290, same ? 0 : 10, gapMs, same, same ? null : "reset");
  }

  @Test
  @SuppressWarnings("unchecked")
  void network_gap_percentiles_survival_counts_and_their_columns() {
    List<Map<String, Object>> rows = List.of(
        Map.of("set", "live", "migrateVm", new Move(6000, 100, 30, net(150.4, true)),
            "virshBaseline", new Move(3000, 200, 60, net(300, true))),
        Map.of("set", "live", "migrateVm", new Move(6000, 100, 30, net(250, true)),
            "virshBaseline", new Move(3000, 200, 60, net(400, false))),
        Map.of("set", "live", "migrateVm", new Move(6000, 100, 30, net(900, false)),
            "virshBaseline", new Move(3000, 200, 60, net(500, true))));

    Map<String, Object> live = BenchSummary.summarize(MigrationBench.SETS, rows).get(0);
    Map<String, Object> ours = (Map<String, Object>) live.get("migrateVm");
    Map<String, Object> base = (Map<String, Object>) live.get("virshBaseline");
    Map<String, Object> ratio = (Map<String, Object>) live.get("ratioToVirsh");

    assertThat(ours.get("networkGapMsP50")).isEqualTo(250L);
    assertThat(ours.get("networkGapMsP95")).isEqualTo(900L);
    assertThat(ours.get("connectionSurvived")).isEqualTo(2L);
    assertThat(ours.get("probed")).isEqualTo(3);
    assertThat(ours.get("echoesLost")).isEqualTo(10L);
    assertThat(base.get("networkGapMsP50")).isEqualTo(400L);
    assertThat(ratio.get("networkGapP50")).isEqualTo(0.625);
    assertThat(ratio.get("networkGapP95")).isEqualTo(1.8);

    Map<String, Object> report = Map.of("summary", List.of(live));
    String md = BenchSummary.markdown(Map.of("date", "now"), MigrationBench.SETS, report);
    assertThat(md).contains("network gap p50 / p95 (ms)").contains("connection survived")
        .contains("| 250 / 900 | 400 / 500 | 0.63 / 1.80 | 2/3 | 2/3 |")
        .contains("**Client connection did not survive** 2 of 6 probed moves (live MigrateVm 1 of 3, live virsh 1 of 3)");
  }

  @Test
  @SuppressWarnings("unchecked")
  void moves_without_a_probe_show_dashes_not_zeros() {
    List<Map<String, Object>> rows = List.of(
        Map.of("set", "live", "migrateVm", new Move(6000, 100, 30), "virshBaseline", new Move(3000, 200, 60)));
    Map<String, Object> live = BenchSummary.summarize(MigrationBench.SETS, rows).get(0);

    String md = BenchSummary.markdown(Map.of(), MigrationBench.SETS, Map.of("summary", List.of(live)));

    assertThat(md).contains("| - / - | - / - | - / - | 0/0 | 0/0 |").contains("NOT CHECKED");
  }

  @Test
  @SuppressWarnings("unchecked")
  void all_connections_surviving_says_the_guest_kept_its_address() {
    List<Map<String, Object>> rows = List.of(
        Map.of("set", "live", "migrateVm", new Move(6000, 100, 30, net(150, true)),
            "virshBaseline", new Move(3000, 200, 60, net(300, true))));
    Map<String, Object> live = BenchSummary.summarize(MigrationBench.SETS, rows).get(0);

    String verdict = BenchSummary.addressVerdict(Map.of("guest address", "10.77.0.124"), List.of(live));

    assertThat(verdict).startsWith("**Guest address kept**").contains("10.77.0.124").contains("all 2 probed moves");
  }

  @Test
  void failed_rounds_are_listed_under_the_table() {
    Map<String, Object> failure = Map.of("set", "live-mt-ac", "round", 1, "stage", "virsh b->a (after MigrateVm a->b)",
        "error", "the probe in novacron-c could not connect to 10.77.0.124:7");

    String md = BenchSummary.markdown(Map.of(), MigrationBench.SETS,
        Map.of("summary", List.of(), "failures", List.of(failure)));

    assertThat(md).contains("**Failed rounds**")
        .contains("- live-mt-ac round 1, at virsh b->a (after MigrateVm a->b): the probe in novacron-c could not connect");
  }

  @Test
  void the_breakdown_table_gives_each_phase_its_p50_and_share_beside_the_virsh_total() {
    MigrationBench.Timing fast = new MigrationBench.Timing(
        java.util.Map.of("check", 500L, "transfer", 2500L), List.of(new PhaseBreakdown.Totals("MigrateLive", 1, 20, 2400)));
    MigrationBench.Timing slow = new MigrationBench.Timing(
        java.util.Map.of("check", 700L, "transfer", 3500L), List.of(new PhaseBreakdown.Totals("MigrateLive", 1, 40, 3400)));
    List<Map<String, Object>> rows = List.of(
        Map.of("set", "live", "migrateVm", new Move(3000, 100, 30, null, fast), "virshBaseline", new Move(2000, 200, 60)),
        Map.of("set", "live", "migrateVm", new Move(4200, 100, 30, null, slow), "virshBaseline", new Move(2000, 200, 60)));

    String md = BenchSummary.breakdown(BenchSummary.summarize(MigrationBench.SETS, rows));

    // p50 is nearest-rank: the lower of two rounds; the share is of the total's p50 (3000 ms).
    assertThat(md).contains("| check | 500 | 17% | 2000 |").contains("| transfer | 2500 | 83% | 2000 |")
        .contains("| MigrateLive | 1 | 20 | 2400 |");
  }
}
