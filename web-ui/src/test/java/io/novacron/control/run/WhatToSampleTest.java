package io.novacron.control.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Which runs the migration sampler reads from Temporal ({@link RunProgressReader#mayReportBytes}). */
class WhatToSampleTest {
  @Test
  void onlyARunningMigrationInItsTransferPhase() {
    assertThat(RunProgressReader.mayReportBytes(run("MigrateVm", "RUNNING", "transfer"))).isTrue();
    assertThat(RunProgressReader.mayReportBytes(run("MigrateVm", "RUNNING", "prepare destination"))).isFalse();
    assertThat(RunProgressReader.mayReportBytes(run("MigrateVm", "SUCCEEDED", "transfer"))).isFalse();
    assertThat(RunProgressReader.mayReportBytes(run("ProvisionVm", "RUNNING", "transfer"))).isFalse();
  }

  private static RunRow run(String type, String state, String phase) {
    return new RunRow("r", type, "vm", null, state, phase, null, null, Instant.EPOCH, Instant.EPOCH, null);
  }
}
