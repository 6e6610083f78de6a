package io.novacron.bench.net;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EchoTimelineTest {
  private static final long MS = 1_000_000;

  @Test
  void the_longest_gap_is_between_consecutive_echoes() {
    long[] echoes = {10 * MS, 20 * MS, 30 * MS, 280 * MS, 290 * MS};
    EchoTimeline.Gap gap = EchoTimeline.longestGap(echoes, 0, 295 * MS);
    assertThat(gap.nanos()).isEqualTo(250 * MS);
    assertThat(gap.startNanos()).isEqualTo(30 * MS);
  }

  @Test
  void echoes_that_stop_for_good_end_in_a_gap_up_to_the_end_of_sending() {
    long[] echoes = {10 * MS, 20 * MS, 30 * MS};
    assertThat(EchoTimeline.longestGap(echoes, 0, 1030 * MS).nanos()).isEqualTo(1000 * MS);
  }

  @Test
  void no_echo_at_all_is_one_gap_over_the_whole_run() {
    assertThat(EchoTimeline.longestGap(new long[0], 5 * MS, 505 * MS)).isEqualTo(new EchoTimeline.Gap(5 * MS, 500 * MS));
  }

  @Test
  void percentiles_are_nearest_rank() {
    long[] sorted = new long[100];
    for (int i = 0; i < 100; i++) {
      sorted[i] = i + 1;
    }
    assertThat(EchoTimeline.percentile(sorted, 50)).isEqualTo(50);
    assertThat(EchoTimeline.percentile(sorted, 99)).isEqualTo(99);
    assertThat(EchoTimeline.percentile(new long[] {7}, 99)).isEqualTo(7);
    assertThat(EchoTimeline.percentile(new long[0], 50)).isZero();
  }

  @Test
  void a_summary_counts_sent_and_echoed_and_reports_one_json_line() {
    EchoTimeline t = new EchoTimeline(0);
    for (int i = 1; i <= 4; i++) {
      t.sent();
    }
    t.echoed(10 * MS, 1 * MS);
    t.echoed(20 * MS, 2 * MS);
    t.echoed(320 * MS, 300 * MS);
    EchoTimeline.Summary s = t.summarize(330 * MS);
    assertThat(s.sent()).isEqualTo(4);
    assertThat(s.echoed()).isEqualTo(3);
    assertThat(s.longestGapMs()).isEqualTo(300.0);
    assertThat(s.longestGapAtMs()).isEqualTo(20.0);
    assertThat(s.rttP50Ms()).isEqualTo(2.0);
    assertThat(s.rttMaxMs()).isEqualTo(300.0);
    String json = s.toJson("10.77.0.100:7", 40000, false, "the guest closed \"it\"");
    assertThat(json).doesNotContain("\n")
        .contains("\"sent\":4,\"echoed\":3,\"lost\":1")
        .contains("\"longest_gap_ms\":300.0")
        .contains("\"same_connection\":false")
        .contains("\"error\":\"the guest closed \\\"it\\\"\"");
  }
}
