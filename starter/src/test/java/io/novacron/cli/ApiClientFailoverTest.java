package io.novacron.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The CLI over two control-plane replicas (--api a,b): it moves on when a replica cannot be reached
 * or answers 503, with the same Idempotency-Key, and never on an answer that is the answer (4xx) or
 * after a request went out unanswered.
 */
class ApiClientFailoverTest {
  private final List<HttpServer> servers = new CopyOnWriteArrayList<>();
  /** "port METHOD path key" of every request a replica received. */
  private final List<String> received = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() {
    servers.forEach(s -> s.stop(0));
  }

  @Test
  void addresses_are_a_comma_separated_list_and_a_bad_entry_is_named() {
    assertThat(ApiClient.addresses("http://a:8080, https://b:8443")).containsExactly(
        URI.create("http://a:8080"), URI.create("https://b:8443"));
    assertThat(ApiClient.addresses("http://127.0.0.1:8080")).containsExactly(URI.create("http://127.0.0.1:8080"));
    assertThatThrownBy(() -> ApiClient.addresses("http://a:8080,,http://b:8080"))
        .hasMessageContaining("entry ''").hasMessageContaining("--api / NOVACRON_API");
    assertThatThrownBy(() -> ApiClient.addresses("a:8080")).hasMessageContaining("'a:8080'")
        .hasMessageContaining("http://HOST:PORT");
    assertThatThrownBy(() -> ApiClient.addresses(" ")).hasMessageContaining("empty");
  }

  @Test
  void the_cli_takes_the_list_and_refuses_a_bad_entry_as_a_usage_error() throws Exception {
    URI up = replica(200);
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    java.io.PrintStream errStream = new java.io.PrintStream(err, true, StandardCharsets.UTF_8);
    java.io.PrintStream out = new java.io.PrintStream(new java.io.ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

    assertThat(new NovacronCli(out, errStream).run(new String[] {"--api", down() + "," + up, "vm", "list"}))
        .isEqualTo(ExitCodes.OK);
    assertThat(received).hasSize(1).allMatch(r -> r.startsWith(up.getPort() + " GET /api/v1/vms"));
    assertThat(new NovacronCli(out, errStream).run(new String[] {"--api", up + ",nowhere", "vm", "list"}))
        .isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("'nowhere'");
  }

  @Test
  void a_replica_that_is_down_is_skipped_and_the_one_that_answered_is_kept() throws Exception {
    URI down = down();
    URI up = replica(200);
    ApiClient api = new ApiClient(List.of(down, up), Optional.empty());

    assertThat(api.get("/api/v1/vms").status()).isEqualTo(200);
    assertThat(api.base()).isEqualTo(up);
    assertThat(api.get("/api/v1/nodes").status()).isEqualTo(200);
    assertThat(received).containsExactly(up.getPort() + " GET /api/v1/vms -", up.getPort() + " GET /api/v1/nodes -");
  }

  @Test
  void a_launch_answered_503_is_sent_to_the_next_replica_with_the_same_idempotency_key() throws Exception {
    URI unavailable = replica(503);
    URI up = replica(202);
    ApiClient api = new ApiClient(List.of(unavailable, up), Optional.empty());
    LaunchKey key = new LaunchKey();

    ApiClient.Response answer = api.post("/api/v1/vms/web-1/start", Map.of(), key);

    assertThat(answer.status()).isEqualTo(202);
    assertThat(received).containsExactly(
        unavailable.getPort() + " POST /api/v1/vms/web-1/start " + key.value(),
        up.getPort() + " POST /api/v1/vms/web-1/start " + key.value());
  }

  @Test
  void a_4xx_is_the_answer_and_goes_to_no_other_replica() throws Exception {
    URI conflict = replica(409);
    URI other = replica(202);
    ApiClient api = new ApiClient(List.of(conflict, other), Optional.empty());

    assertThat(api.post("/api/v1/vms/web-1/start", Map.of(), new LaunchKey()).status()).isEqualTo(409);
    assertThat(received).hasSize(1).allMatch(r -> r.startsWith(conflict.getPort() + " "));
  }

  @Test
  void a_request_that_went_out_unanswered_is_not_resent() throws Exception {
    URI hangsUp = replica(0);
    URI other = replica(202);
    ApiClient api = new ApiClient(List.of(hangsUp, other), Optional.empty());

    assertThatThrownBy(() -> api.post("/api/v1/vms/web-1/start", Map.of(), new LaunchKey()))
        .isInstanceOf(IOException.class);
    assertThat(received).hasSize(1).allMatch(r -> r.startsWith(hangsUp.getPort() + " "));
  }

  @Test
  void when_every_replica_is_down_the_error_names_each_and_when_all_answer_503_the_last_503_is_returned()
      throws Exception {
    URI a = down();
    URI b = down();
    assertThatThrownBy(() -> new ApiClient(List.of(a, b), Optional.empty()).get("/api/v1/vms"))
        .isInstanceOf(IOException.class).hasMessageContaining(a.toString()).hasMessageContaining(b.toString())
        .hasMessageContaining("NOVACRON_API");

    URI c = replica(503);
    URI d = replica(503);
    assertThat(new ApiClient(List.of(c, d), Optional.empty()).get("/api/v1/vms").status()).isEqualTo(503);
    assertThat(received).hasSize(2);
  }

  /**
   * A replica answering every request with {@code status} (0: it closes the connection without an
   * answer, as a replica that dies mid-request).
   */
  private URI replica(int status) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    int port = server.getAddress().getPort();
    server.createContext("/", exchange -> {
      exchange.getRequestBody().readAllBytes();
      String key = exchange.getRequestHeaders().getFirst(LaunchKey.HEADER);
      received.add(port + " " + exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + " "
          + (key == null ? "-" : key));
      if (status == 0) {
        exchange.close();
        return;
      }
      byte[] body = ("GET".equals(exchange.getRequestMethod()) ? "[]" : "{}").getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(status, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    servers.add(server);
    return URI.create("http://127.0.0.1:" + port);
  }

  /** An address nothing listens on: a port bound and released. */
  private static URI down() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return URI.create("http://127.0.0.1:" + s.getLocalPort());
    }
  }
}
