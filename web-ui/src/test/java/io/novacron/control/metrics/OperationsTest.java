package io.novacron.control.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.novacron.workflows.run.RunState;
import org.junit.jupiter.api.Test;

class OperationsTest {
  @Test
  void eachRunTypeHasItsOperation() {
    assertThat(Operations.of("ProvisionVm", "{}")).isEqualTo("provision");
    assertThat(Operations.of("DeleteVm", null)).isEqualTo("delete");
    assertThat(Operations.of("ResizeVm", "{}")).isEqualTo("resize");
    assertThat(Operations.of("MigrateVm", "{\"mode\":\"live\"}")).isEqualTo("migrate");
    assertThat(Operations.of("DrainNode", "{}")).isEqualTo("drain");
    assertThat(Operations.of("Rebalance", "{}")).isEqualTo("rebalance");
    assertThat(Operations.of("DeployModel", "{}")).isEqualTo("deploy");
    assertThat(Operations.of("ImportImage", "{}")).isEqualTo("import_image");
  }

  @Test
  void powerRunsAreNamedByTheirAction() {
    assertThat(Operations.of("VmPower", "{\"vmName\":\"web1\",\"action\":\"start\"}")).isEqualTo("start");
    assertThat(Operations.of("VmPower", "{\"vmName\":\"web1\",\"action\":\"stop\"}")).isEqualTo("stop");
    assertThat(Operations.of("VmPower", "{\"vmName\":\"web1\",\"action\":\"reboot\"}")).isEqualTo("reboot");
  }

  @Test
  void labelsStayInAFixedSetWhateverTheInput() {
    assertThat(Operations.of("VmPower", "{\"action\":\"web1-is-not-an-action\"}")).isEqualTo("power");
    assertThat(Operations.of("VmPower", "not json")).isEqualTo("power");
    assertThat(Operations.of("VmPower", null)).isEqualTo("power");
    assertThat(Operations.of("SomethingNew", "{}")).isEqualTo(Operations.OTHER);
    assertThat(Operations.of("unknown", null)).isEqualTo(Operations.OTHER);
    assertThat(Operations.of(null, null)).isEqualTo(Operations.OTHER);
  }

  @Test
  void outcomesAreTheEndStatesInLowerCase() {
    assertThat(Operations.outcome(RunState.SUCCEEDED)).isEqualTo("succeeded");
    assertThat(Operations.outcome(RunState.FAILED)).isEqualTo("failed");
    assertThat(Operations.outcome(RunState.CANCELLED)).isEqualTo("cancelled");
  }
}
