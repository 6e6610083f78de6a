package io.novacron.bench.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class BenchReportTest {
  static final long GIB = 1L << 30;

  static Measurement row(String profile, String set, String method, double wall, double cpu) {
    return new Measurement(profile, set, method, GIB, wall, GIB, cpu, true, 1, "");
  }

  @Test
  void each_tls_row_is_paired_with_its_plaintext_twin_on_the_same_link_and_data() {
    List<Measurement> rows = List.of(
        row("lan", "ram", "engine none", 10, 4),
        row("lan", "ram", "engine auto", 8, 5),
        row("lan", "ram", "engine none, TLS", 12, 6),
        row("wan", "ram", "engine none", 40, 4),
        row("lan", "disk", "engine auto, TLS", 3, 2));

    List<BenchReport.TlsCost> costs = BenchReport.tlsCosts(rows);

    // The disk row has no plaintext twin: left out, not compared with another data set's.
    assertThat(costs).hasSize(1);
    BenchReport.TlsCost c = costs.get(0);
    assertThat(c.plain()).isSameAs(rows.get(0));
    assertThat(c.tls()).isSameAs(rows.get(2));
    assertThat(c.wallCost()).isEqualTo(0.2, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(c.cpuPerGib()).isEqualTo(2.0, org.assertj.core.data.Offset.offset(1e-9));
  }

  @Test
  void a_run_without_tls_rows_has_no_costs() {
    assertThat(BenchReport.tlsCosts(List.of(row("lan", "ram", "engine none", 10, 4)))).isEmpty();
  }
}
