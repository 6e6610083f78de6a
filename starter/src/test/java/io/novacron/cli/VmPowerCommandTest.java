package io.novacron.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code novacron vm start|stop|reboot|delete} against a loopback server that answers as the control plane does. */
class VmPowerCommandTest {
  private LoopbackControlPlane api;

  @BeforeEach
  void start() throws Exception {
    api = new LoopbackControlPlane((method, path, body) -> path.startsWith("/api/v1/vms/web1")
        ? new LoopbackControlPlane.Answer(202, "{\"runId\":\"power-web1-0a1b2c3d\"}")
        : new LoopbackControlPlane.Answer(404, "{\"detail\":\"no VM named 'ghost'\"}"));
  }

  @AfterEach
  void stop() {
    api.close();
  }

  @Test
  void stopSendsTheGracePeriodAndPrintsTheRun() {
    assertThat(api.cli("vm", "stop", "web1", "--grace-seconds=30")).isZero();
    assertThat(api.requests()).containsExactly("POST /api/v1/vms/web1/stop {\"graceSeconds\":30}");
    assertThat(api.out()).isEqualTo("power-web1-0a1b2c3d" + System.lineSeparator());
  }

  @Test
  void startSendsNoOptions() {
    assertThat(api.cli("vm", "start", "web1")).isZero();
    assertThat(api.requests()).containsExactly("POST /api/v1/vms/web1/start {}");
  }

  @Test
  void rebootSendsTheGracePeriod() {
    assertThat(api.cli("vm", "reboot", "web1", "--grace-seconds=0")).isZero();
    assertThat(api.requests()).containsExactly("POST /api/v1/vms/web1/reboot {\"graceSeconds\":0}");
  }

  @Test
  void deleteSendsADeleteAndPrintsTheRun() {
    assertThat(api.cli("vm", "delete", "web1")).isZero();
    assertThat(api.requests()).hasSize(1);
    assertThat(api.requests().get(0)).startsWith("DELETE /api/v1/vms/web1");
    assertThat(api.cli("vm", "delete", "web1", "--force")).isEqualTo(NovacronCli.EXIT_USAGE);
    assertThat(api.err()).contains("Unknown option: '--force'", "see: novacron vm delete --help");
  }

  @Test
  void misuseIsNamedAndSendsNothing() {
    assertThat(api.cli("vm", "start", "web1", "--grace-seconds=5")).isEqualTo(NovacronCli.EXIT_USAGE);
    assertThat(api.cli("vm", "stop")).isEqualTo(NovacronCli.EXIT_USAGE);
    assertThat(api.cli("vm", "stop", "web1", "--grace=5")).isEqualTo(NovacronCli.EXIT_USAGE);
    assertThat(api.requests()).isEmpty();
    assertThat(api.err()).contains("Unknown option: '--grace-seconds=5'", "see: novacron vm start --help",
        "Missing required parameter: 'NAME'", "Unknown option: '--grace=5'");
  }

  @Test
  void anUnknownVmIsAUsageErrorWithTheApisWords() {
    assertThat(api.cli("vm", "stop", "ghost")).isEqualTo(NovacronCli.EXIT_USAGE);
    assertThat(api.err()).contains("no VM named 'ghost'");
  }
}
