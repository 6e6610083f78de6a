package io.novacron.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code novacron vm resize} against a loopback server that answers as the control plane does. */
class VmResizeCommandTest {
  private LoopbackControlPlane api;

  @BeforeEach
  void start() throws Exception {
    api = new LoopbackControlPlane((method, path, body) -> path.startsWith("/api/v1/vms/web1")
        ? new LoopbackControlPlane.Answer(202, "{\"runId\":\"resize-web1-0a1b2c3d\"}")
        : new LoopbackControlPlane.Answer(409, "{\"detail\":\"'db' is running: vCPUs, memory and disk change"
            + " only while it is stopped; stop it first: novacron vm stop db\"}"));
  }

  @AfterEach
  void stop() {
    api.close();
  }

  @Test
  void resizeSendsTheSizesGivenAndPrintsTheRun() {
    assertThat(api.cli("vm", "resize", "web1", "--vcpus=2", "--memory-mib=512", "--disk-gib=8")).isZero();
    assertThat(api.requests())
        .containsExactly("POST /api/v1/vms/web1/resize {\"vcpus\":2,\"memoryMib\":512,\"diskGib\":8}");
    assertThat(api.out()).isEqualTo("resize-web1-0a1b2c3d" + System.lineSeparator());
  }

  @Test
  void aDiskAloneIsEnough() {
    assertThat(api.cli("vm", "resize", "web1", "--disk-gib=20")).isZero();
    assertThat(api.requests()).containsExactly("POST /api/v1/vms/web1/resize {\"diskGib\":20}");
  }

  @Test
  void misuseIsNamedAndSendsNothing() {
    assertThat(api.cli("vm", "resize", "web1")).isEqualTo(NovacronCli.EXIT_USAGE);
    assertThat(api.cli("vm", "resize", "--vcpus=2")).isEqualTo(NovacronCli.EXIT_USAGE);
    assertThat(api.cli("vm", "resize", "web1", "--memory=512")).isEqualTo(NovacronCli.EXIT_USAGE);
    assertThat(api.requests()).isEmpty();
    assertThat(api.err()).contains("needs at least one of --vcpus", "Missing required parameter: 'NAME'",
        "Unknown option: '--memory=512'", "Possible solutions: --memory-mib");
  }

  @Test
  void aRunningVmIsRefusedWithTheApisWords() {
    assertThat(api.cli("vm", "resize", "db", "--vcpus=4")).as("409: refused").isEqualTo(NovacronCli.EXIT_REFUSED);
    assertThat(api.err()).contains("stop it first: novacron vm stop db");
  }
}
