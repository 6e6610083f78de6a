package io.novacron.bench.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ProbeReportTest {
  private static final String LINE = "{\"target\":\"10.77.0.145:7\",\"local_port\":52592,\"duration_ms\":10407.0,"
      + "\"sent\":1041,\"echoed\":1040,\"lost\":1,\"longest_gap_ms\":168.6,\"longest_gap_at_ms\":4270.0,"
      + "\"rtt_p50_ms\":10.586,\"rtt_p99_ms\":185.144,\"rtt_max_ms\":273.189,\"same_connection\":true,\"error\":null}";

  @Test
  void parses_the_probe_line() {
    ProbeReport r = ProbeReport.parse(LINE + "\n");

    assertThat(r.target()).isEqualTo("10.77.0.145:7");
    assertThat(r.sent()).isEqualTo(1041);
    assertThat(r.echoed()).isEqualTo(1040);
    assertThat(r.lost()).isEqualTo(1);
    assertThat(r.longestGapMs()).isEqualTo(168.6);
    assertThat(r.longestGapMillis()).isEqualTo(169);
    assertThat(r.sameConnection()).isTrue();
    assertThat(r.error()).isNull();
    assertThat(r.survived()).as("one echo lost").isFalse();
    assertThat(ProbeReport.parse(LINE.replace("\"echoed\":1040,\"lost\":1", "\"echoed\":1041,\"lost\":0")).survived())
        .isTrue();
  }

  @Test
  void takes_the_last_json_line_and_keeps_the_error() {
    String broken = LINE.replace("\"same_connection\":true,\"error\":null",
        "\"same_connection\":false,\"error\":\"receive: java.net.SocketException: Connection reset\"");
    ProbeReport r = ProbeReport.parse("OpenJDK warning: something\n" + LINE + "\n" + broken + "\n");

    assertThat(r.sameConnection()).isFalse();
    assertThat(r.error()).contains("Connection reset");
  }

  @Test
  void the_report_of_a_real_timeline_parses_back() {
    EchoTimeline t = new EchoTimeline(0);
    t.sent();
    t.sent();
    t.echoed(10_000_000, 10_000_000);
    String json = t.summarize(500_000_000).toJson("10.77.0.9:7", 40000, false, "the guest closed the connection");

    ProbeReport r = ProbeReport.parse(json);

    assertThat(r.lost()).isEqualTo(1);
    assertThat(r.longestGapMs()).isEqualTo(490.0);
    assertThat(r.sameConnection()).isFalse();
    assertThat(r.error()).isEqualTo("the guest closed the connection");
  }

  @Test
  void no_report_or_a_report_without_the_gap_fails() {
    assertThatThrownBy(() -> ProbeReport.parse("netprobe: connect timed out\n"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no JSON report");
    assertThatThrownBy(() -> ProbeReport.parse(null)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ProbeReport.parse("{\"target\":\"x\",\"sent\":1,\"echoed\":1,\"lost\":0,"
        + "\"same_connection\":true}")).hasMessageContaining("longest_gap_ms");
  }
}
