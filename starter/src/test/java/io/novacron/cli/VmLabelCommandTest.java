package io.novacron.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code novacron vm label} and {@code vm list --label} against a loopback control plane. */
class VmLabelCommandTest {
  private LoopbackControlPlane api;

  @BeforeEach
  void start() throws Exception {
    api = new LoopbackControlPlane((method, path, body) -> path.startsWith("/api/v1/vms/web1")
        ? new LoopbackControlPlane.Answer(200, "{\"name\":\"web1\",\"labels\":{\"team\":\"web\"}}")
        : path.startsWith("/api/v1/vms/bad")
            ? new LoopbackControlPlane.Answer(400, "{\"detail\":\"labels.Team: a key is 1-63 of a-z 0-9\"}")
            : new LoopbackControlPlane.Answer(200, "[]"));
  }

  @AfterEach
  void stop() {
    api.close();
  }

  @Test
  void setsWithKeyEqualsValueAndRemovesWithATrailingDash() {
    assertThat(api.cli("vm", "label", "web1", "team=web", "old-")).isZero();
    assertThat(api.requests()).containsExactly("PATCH /api/v1/vms/web1/labels {\"team\":\"web\",\"old\":null}");
    assertThat(api.out()).contains("\"team\" : \"web\"");
  }

  @Test
  void misuseIsNamedAndSendsNothing() {
    assertThat(api.cli("vm", "label", "web1")).isEqualTo(NovacronCli.EXIT_USAGE);
    assertThat(api.cli("vm", "label", "web1", "team")).isEqualTo(NovacronCli.EXIT_USAGE);
    assertThat(api.requests()).isEmpty();
    assertThat(api.err()).contains("Missing required parameter: 'K=V|K-'", "'team' is neither K=V");
  }

  @Test
  void aBadLabelIsAUsageErrorWithTheApisWords() {
    assertThat(api.cli("vm", "label", "bad", "Team=x")).isEqualTo(NovacronCli.EXIT_USAGE);
    assertThat(api.err()).contains("labels.Team: a key is");
  }

  @Test
  void listFiltersByLabel() {
    assertThat(api.cli("vm", "list", "--label=team=web")).isZero();
    assertThat(api.requests()).hasSize(1);
    assertThat(api.requests().get(0)).startsWith("GET /api/v1/vms?label=team%3Dweb");
  }
}
