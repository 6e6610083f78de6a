package io.novacron.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AgentMetricsTest {
  @Test
  void servesTheRegistryAsPrometheusText() throws Exception {
    // An ephemeral port: fromEnv's "0 turns it off" is for operators; here any free port will do.
    try (AgentMetrics metrics = AgentMetrics.start("127.0.0.1", freePort())) {
      metrics.registry().counter("novacron.test.things").increment(3);
      HttpResponse<String> response = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metrics.port() + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).contains("novacron_test_things_total 3.0").contains("jvm_memory_used_bytes");
    }
  }

  @Test
  void portZeroKeepsTheRegistryWithoutAnEndpoint() {
    try (AgentMetrics metrics = AgentMetrics.fromEnv(Map.of("NOVACRON_METRICS_PORT", "0"), 9464)) {
      assertThat(metrics.port()).isEqualTo(-1);
      metrics.registry().counter("novacron.test.things").increment();
      assertThat(metrics.registry().get("novacron.test.things").counter().count()).isEqualTo(1.0);
    }
  }

  @Test
  void aTakenPortIsNotFatal() throws Exception {
    try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
        AgentMetrics metrics = AgentMetrics.start("127.0.0.1", taken.getLocalPort())) {
      assertThat(metrics.port()).isEqualTo(-1);
    }
  }

  @Test
  void aBadPortNamesTheSetting() {
    assertThatThrownBy(() -> AgentMetrics.fromEnv(Map.of("NOVACRON_METRICS_PORT", "nine"), 9464))
        .hasMessageContaining("NOVACRON_METRICS_PORT=nine");
  }

  private static int freePort() throws Exception {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
