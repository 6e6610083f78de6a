package io.novacron.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code novacron vm start|stop} against a loopback server that answers as the control plane does. */
class VmPowerCommandTest {
  private HttpServer server;
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + " " + body);
      boolean known = exchange.getRequestURI().getPath().startsWith("/api/v1/vms/web1/");
      byte[] answer = (known ? "{\"runId\":\"power-web1-0a1b2c3d\"}" : "{\"detail\":\"no VM named 'ghost'\"}")
          .getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(known ? 202 : 404, answer.length);
      exchange.getResponseBody().write(answer);
      exchange.close();
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private int cli(String... args) {
    String[] all = new String[args.length + 1];
    all[0] = "--api=http://127.0.0.1:" + server.getAddress().getPort();
    System.arraycopy(args, 0, all, 1, args.length);
    return new NovacronCli(new PrintStream(out, true), new PrintStream(err, true)).run(all);
  }

  @Test
  void stopSendsTheGracePeriodAndPrintsTheRun() {
    assertThat(cli("vm", "stop", "web1", "--grace-seconds=30")).isZero();
    assertThat(requests).containsExactly("POST /api/v1/vms/web1/stop {\"graceSeconds\":30}");
    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("power-web1-0a1b2c3d" + System.lineSeparator());
  }

  @Test
  void startSendsNoOptions() {
    assertThat(cli("vm", "start", "web1")).isZero();
    assertThat(requests).containsExactly("POST /api/v1/vms/web1/start {}");
  }

  @Test
  void misuseIsNamedAndSendsNothing() {
    assertThat(cli("vm", "start", "web1", "--grace-seconds=5")).isEqualTo(NovacronCli.EXIT_USAGE);
    assertThat(cli("vm", "stop")).isEqualTo(NovacronCli.EXIT_USAGE);
    assertThat(cli("vm", "stop", "web1", "--grace=5")).isEqualTo(NovacronCli.EXIT_USAGE);
    assertThat(requests).isEmpty();
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("has no option --grace-seconds", "needs the VM's NAME",
        "has no option --grace");
  }

  @Test
  void anUnknownVmIsAUsageErrorWithTheApisWords() {
    assertThat(cli("vm", "stop", "ghost")).isEqualTo(NovacronCli.EXIT_USAGE);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("no VM named 'ghost'");
  }
}
