package io.novacron.bench.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class WrkResultTest {
  private static final String OUTPUT = """
      Running 10s test @ http://127.0.0.1:8080/api/v1/runs
        2 threads and 8 connections
      Requests/sec:    150.00
      NOVACRON_WRK requests=1500 duration_us=10000000 errors=3 non2xx=0 p50_us=41000 p95_us=90000 p99_us=120500 max_us=300000
      """;

  @Test
  void reads_the_line_latency_lua_prints() {
    WrkResult result = WrkResult.parse(OUTPUT);

    assertThat(result.requests()).isEqualTo(1500);
    assertThat(result.errors()).isEqualTo(3);
    assertThat(result.p50Micros()).isEqualTo(41000);
    assertThat(result.p95Micros()).isEqualTo(90000);
    assertThat(result.p99Micros()).isEqualTo(120500);
    assertThat(result.maxMicros()).isEqualTo(300000);
    assertThat(result.requestsPerSecond()).isEqualTo(150.0);
  }

  @Test
  void output_without_the_line_names_the_script() {
    assertThatThrownBy(() -> WrkResult.parse("Requests/sec: 10\n"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("latency.lua");
  }

  @Test
  void a_line_missing_a_field_names_it() {
    assertThatThrownBy(() -> WrkResult.parse("NOVACRON_WRK requests=1 duration_us=1 errors=0 non2xx=0 p50_us=1"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("p95_us");
  }
}
