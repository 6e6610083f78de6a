package io.novacron.control.run;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MigrationModeTest {
  @Test
  void theModeTagComesFromTheRecordedRequest() {
    assertThat(RunRecordActivitiesImpl.migrationMode("{\"vmName\":\"a\",\"mode\":\"WARM\"}")).isEqualTo("warm");
    assertThat(RunRecordActivitiesImpl.migrationMode("{\"vmName\":\"a\"}")).as("live by default").isEqualTo("live");
    assertThat(RunRecordActivitiesImpl.migrationMode("{\"mode\":null}")).isEqualTo("live");
    assertThat(RunRecordActivitiesImpl.migrationMode("not json")).isEqualTo("unknown");
    assertThat(RunRecordActivitiesImpl.migrationMode(null)).isEqualTo("live");
  }

  @Test
  void theRuntimeTagComesFromTheRecordedDeployment() {
    assertThat(RunRecordActivitiesImpl.servingRuntime("{\"serving\":{\"runtime\":\"REFERENCE\"}}")).isEqualTo("reference");
    assertThat(RunRecordActivitiesImpl.servingRuntime("{\"name\":\"m\"}")).as("vLLM by default").isEqualTo("vllm");
    assertThat(RunRecordActivitiesImpl.servingRuntime("not json")).isEqualTo("unknown");
  }
}
