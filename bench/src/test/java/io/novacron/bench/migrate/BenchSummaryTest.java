package io.novacron.bench.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import io.novacron.bench.migrate.MigrationBench.Move;
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
}
