package io.novacron.control.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.novacron.control.ControlPlaneTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

/**
 * NOVACRON_PROMETHEUS_OPEN=false: the metrics need a viewer token; health stays open. The setting
 * is read when the filter chains are built, so this needs a context of its own; it is closed
 * after the class, so that its orchestrator worker stops polling the task queue the shared
 * context's worker polls.
 */
@TestPropertySource(properties = "novacron.security.prometheus-open=false")
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class ClosedPrometheusTest extends ControlPlaneTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @LocalServerPort int port;

  @Test
  void prometheusNeedsAViewerTokenWhenClosed() throws Exception {
    assertThat(get("/actuator/prometheus", null).statusCode()).isEqualTo(401);
    HttpResponse<String> scraped = get("/actuator/prometheus", tokenFor(Role.VIEWER));
    assertThat(scraped.statusCode()).isEqualTo(200);
    assertThat(scraped.body()).contains("jvm_memory_used_bytes");
    assertThat(get("/actuator/health", null).statusCode()).isEqualTo(200);
  }

  private HttpResponse<String> get(String path, String token) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET();
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
