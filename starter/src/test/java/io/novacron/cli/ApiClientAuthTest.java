package io.novacron.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The CLI against a loopback HTTP server that checks the token as the control plane does. */
class ApiClientAuthTest {
  private HttpServer server;
  private final AtomicReference<String> seen = new AtomicReference<>();

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      String auth = exchange.getRequestHeaders().getFirst("Authorization");
      seen.set(auth);
      int status = "Bearer good".equals(auth) ? 200 : "Bearer viewer".equals(auth) ? 403 : 401;
      byte[] body = (status == 403 ? "{\"detail\":\"POST /api/v1/vms needs role operator\"}" : "{}")
          .getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(status, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private ApiClient client(ApiToken token) {
    return new ApiClient(URI.create("http://127.0.0.1:" + server.getAddress().getPort()), Optional.ofNullable(token));
  }

  @Test
  void theTokenIsSentAsABearerHeader() throws Exception {
    assertThat(client(new ApiToken("good", "NOVACRON_TOKEN")).get("/api/v1/vms").status()).isEqualTo(200);
    assertThat(seen.get()).isEqualTo("Bearer good");
  }

  @Test
  void noTokenOrARefusedOneSaysWhichVariableToSet() {
    assertThatThrownBy(() -> client(null).get("/api/v1/vms"))
        .isInstanceOf(ApiAuthException.class).hasMessageContaining("NOVACRON_TOKEN").hasMessageContaining("admin-token");
    assertThatThrownBy(() -> client(new ApiToken("stale", "/data/admin-token")).get("/api/v1/vms"))
        .isInstanceOf(ApiAuthException.class).hasMessageContaining("/data/admin-token").hasMessageContaining("NOVACRON_TOKEN");
    assertThatThrownBy(() -> client(new ApiToken("viewer", "NOVACRON_TOKEN")).post("/api/v1/vms", "{}"))
        .isInstanceOf(ApiAuthException.class).hasMessageContaining("needs role operator");
  }
}
