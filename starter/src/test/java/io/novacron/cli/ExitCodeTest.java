package io.novacron.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What each answer of the control plane becomes as an exit status (the contract in ExitCodes). */
class ExitCodeTest {
  private static final Map<String, Integer> STATUS_OF_VM = Map.of(
      "bad", 400, "ghost", 404, "busy", 409, "dup", 422, "boom", 500, "anon", 401, "viewer", 403, "ok", 202);

  private LoopbackControlPlane api;

  @BeforeEach
  void start() throws Exception {
    api = new LoopbackControlPlane((method, path, body) -> {
      String vm = path.split("/")[4];
      int status = STATUS_OF_VM.get(vm);
      return new LoopbackControlPlane.Answer(status, status == 202 ? "{\"runId\":\"power-ok-1\"}"
          : "{\"detail\":\"answered " + status + " for " + vm + "\"}");
    });
  }

  @AfterEach
  void stop() {
    api.close();
  }

  @Test
  void eachHttpStatusMapsToItsExitStatus() {
    assertThat(api.cli("vm", "start", "ok")).isEqualTo(ExitCodes.OK);
    assertThat(api.cli("vm", "start", "bad")).isEqualTo(64);
    assertThat(api.cli("vm", "start", "ghost")).isEqualTo(64);
    assertThat(api.cli("vm", "start", "busy")).isEqualTo(2);
    assertThat(api.cli("vm", "start", "dup")).isEqualTo(2);
    assertThat(api.cli("vm", "start", "boom")).isEqualTo(1);
    assertThat(api.cli("vm", "start", "anon")).isEqualTo(77);
    assertThat(api.cli("vm", "start", "viewer")).isEqualTo(77);
    assertThat(api.err()).contains("answered 409 for busy", "answered 500 for boom", "API token",
        "may not do this: answered 403 for viewer");
  }

  @Test
  void anUnreachableControlPlaneIs69() {
    int port = api.base().getPort();
    api.close();
    HelpTest.Ran ran = HelpTest.run("--api=http://127.0.0.1:" + port, "vm", "list");
    assertThat(ran.status()).isEqualTo(ExitCodes.UNAVAILABLE);
    assertThat(ran.err()).contains("cannot reach the control plane at http://127.0.0.1:" + port);
  }

  @Test
  void theMappingCoversEveryClass() {
    assertThat(ExitCodes.forHttpStatus(200)).isZero();
    assertThat(ExitCodes.forHttpStatus(204)).isZero();
    assertThat(ExitCodes.forHttpStatus(400)).isEqualTo(ExitCodes.USAGE);
    assertThat(ExitCodes.forHttpStatus(422)).isEqualTo(ExitCodes.REFUSED);
    assertThat(ExitCodes.forHttpStatus(503)).isEqualTo(ExitCodes.FAILED);
  }
}
