package io.novacron.cli;

import static org.assertj.core.api.Assertions.assertThat;

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

  /** The states the run shows on successive reads; the last one stays. */
  private final List<String> states = new CopyOnWriteArrayList<>(List.of("ATTENTION", "ATTENTION", "FAILED"));
  private LoopbackControlPlane api;

  @BeforeEach
  void start() throws Exception {
    api = new LoopbackControlPlane((method, path, body) -> {
      if (method.equals("GET")) {
        String state = states.size() > 1 ? states.remove(0) : states.get(0);
        return new LoopbackControlPlane.Answer(200,
            "{\"id\":\"" + RUN + "\",\"state\":\"" + state + "\",\"phase\":\"verify\"}");
      }
      return body.contains("keep-target")
          ? new LoopbackControlPlane.Answer(409, "{\"detail\":\"the copy on lab-b was last seen shut off\"}")
          : new LoopbackControlPlane.Answer(200,
              "{\"runId\":\"" + RUN + "\",\"action\":\"abandon\",\"answer\":\"ending FAILED, touching nothing\"}");
    });
  }

  @AfterEach
  void stop() {
    api.close();
  }

  @Test
  void resolveSendsTheActionAndPrintsTheRunsAnswer() {
    assertThat(api.cli("runs", "resolve", RUN, "--action=abandon")).isZero();
    assertThat(api.requests()).containsExactly("POST /api/v1/runs/" + RUN + "/resolve {\"action\":\"abandon\"}");
    assertThat(api.out()).isEqualTo("ending FAILED, touching nothing" + System.lineSeparator());
  }

  @Test
  void aRefusalIsPrintedInTheRunsWords() {
    assertThat(api.cli("runs", "resolve", RUN, "--action=keep-target")).as("409: refused")
        .isEqualTo(NovacronCli.EXIT_REFUSED);
    assertThat(api.err()).contains("the copy on lab-b was last seen shut off");
  }

  @Test
  void misuseIsNamedAndSendsNothing() {
    assertThat(api.cli("runs", "resolve", RUN)).isEqualTo(NovacronCli.EXIT_USAGE);
    assertThat(api.cli("runs", "resolve", "--action=retry")).isEqualTo(NovacronCli.EXIT_USAGE);
    assertThat(api.cli("runs", "resolve", RUN, "--action=retry", "--force")).isEqualTo(NovacronCli.EXIT_USAGE);
    assertThat(api.requests()).isEmpty();
    assertThat(api.err()).contains("Missing required option: '--action=ACTION'", "Missing required parameter: 'RUN_ID'",
        "Unknown option: '--force'");
  }

  @Test
  void watchingARunInAttentionSaysHowToAnswerItAndFollowsItToItsEnd() {
    assertThat(api.cli("runs", "watch", RUN)).as("it ended FAILED").isEqualTo(NovacronCli.EXIT_FAILED);
    String printed = api.out();
    assertThat(printed).contains("ATTENTION  phase=verify").contains("FAILED  phase=verify")
        .contains("waits for an operator: novacron runs resolve " + RUN + " --action=retry|abandon|keep-source|keep-target");
    assertThat(printed.split("waits for an operator", -1)).as("said once").hasSize(2);
  }
}
