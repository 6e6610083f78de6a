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

/**
 * {@code novacron runs resolve} and {@code runs watch} of a run in ATTENTION, against a loopback
 * server that answers as the control plane does.
 */
class RunsResolveCommandTest {
  private static final String RUN = "migrate-web1-0a1b2c3d";

  private HttpServer server;
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private final List<String> states = new CopyOnWriteArrayList<>(List.of("ATTENTION", "ATTENTION", "FAILED"));
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      String path = exchange.getRequestURI().getPath();
      requests.add(exchange.getRequestMethod() + " " + path + " " + body);
      int status;
      String answer;
      if (exchange.getRequestMethod().equals("GET")) {
        String state = states.size() > 1 ? states.remove(0) : states.get(0);
        status = 200;
        answer = "{\"id\":\"" + RUN + "\",\"state\":\"" + state + "\",\"phase\":\"verify\"}";
      } else if (body.contains("keep-target")) {
        status = 409;
        answer = "{\"detail\":\"the copy on lab-b was last seen shut off\"}";
      } else {
        status = 200;
        answer = "{\"runId\":\"" + RUN + "\",\"action\":\"abandon\",\"answer\":\"ending FAILED, touching nothing\"}";
      }
      byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(status, bytes.length);
      exchange.getResponseBody().write(bytes);
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
  void resolveSendsTheActionAndPrintsTheRunsAnswer() {
    assertThat(cli("runs", "resolve", RUN, "--action=abandon")).isZero();
    assertThat(requests).containsExactly("POST /api/v1/runs/" + RUN + "/resolve {\"action\":\"abandon\"}");
    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("ending FAILED, touching nothing" + System.lineSeparator());
  }

  @Test
  void aRefusalIsPrintedInTheRunsWords() {
    assertThat(cli("runs", "resolve", RUN, "--action=keep-target")).isEqualTo(NovacronCli.EXIT_USAGE);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("the copy on lab-b was last seen shut off");
  }

  @Test
  void misuseIsNamedAndSendsNothing() {
    assertThat(cli("runs", "resolve", RUN)).isEqualTo(NovacronCli.EXIT_USAGE);
    assertThat(cli("runs", "resolve", "--action=retry")).isEqualTo(NovacronCli.EXIT_USAGE);
    assertThat(cli("runs", "resolve", RUN, "--action=retry", "--force")).isEqualTo(NovacronCli.EXIT_USAGE);
    assertThat(requests).isEmpty();
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("needs --action=retry|abandon|keep-source|keep-target",
        "needs a RUN_ID", "has no option --force");
  }

  @Test
  void watchingARunInAttentionSaysHowToAnswerItAndFollowsItToItsEnd() throws Exception {
    assertThat(cli("runs", "watch", RUN)).as("it ended FAILED").isEqualTo(NovacronCli.EXIT_FAILED);
    String printed = out.toString(StandardCharsets.UTF_8);
    assertThat(printed).contains("ATTENTION  phase=verify").contains("FAILED  phase=verify")
        .contains("waits for an operator: novacron runs resolve " + RUN + " --action=retry|abandon|keep-source|keep-target");
    assertThat(printed.split("waits for an operator", -1)).as("said once").hasSize(2);
  }
}
