package io.novacron.control.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import io.novacron.control.ControlPlaneTest;
import io.novacron.control.ScriptedMigrationHosts;
import io.novacron.control.shared.RunLauncher;
import io.novacron.control.run.RunControl;
import io.novacron.workflows.migrate.MigrationMode;
import io.novacron.workflows.migrate.MigrationProgress;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.client.WorkflowClient;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The migration progress the dashboard shows is the monitor's latest heartbeat, read back from
 * Temporal; a force-complete reaches the source agent and the run finishes.
 */
class MigrationProgressReaderTest extends ControlPlaneTest {
  @Autowired WorkflowClient temporal;
  @Autowired JdbcClient jdbc;
  @Autowired MigrationOrders orders;
  @Autowired RunLauncher launcher;
  @Autowired RunControl control;
  @Autowired MigrationProgressReader reader;

  @Test
  void theLatestHeartbeatIsReadUntilTheForcedMigrationEnds() throws Exception {
    // Room on the target for the VM: the migration's precheck asks the inventory for capacity.
    jdbc.sql("insert into nodes (name, cpus, memory_mib, storage_free_gib, storage_total_gib, host_seen_at)"
        + " values ('prog-a', 8, 16384, 100, 100, now()), ('prog-b', 8, 16384, 100, 100, now())").update();
    jdbc.sql("insert into vms (name, uuid, node, state, vcpus, memory_mib, disk_gib)"
        + " values ('prog-vm', 'uuid-prog-vm', 'prog-a', 'running', 1, 256, 1)").update();
    try (ScriptedMigrationHosts hosts = new ScriptedMigrationHosts(temporal, "prog-a", "prog-b")) {
      var checked = orders.check(new MigrationOrder("prog-vm", "prog-b", MigrationMode.LIVE, null));
      assertThat(checked.errors()).isEmpty();
      String runId = RunLauncher.migrationRunId("prog-vm", null);
      launcher.migrate(runId, checked.request());

      Optional<MigrationProgress> first = Optional.empty();
      for (int i = 0; i < 300 && first.isEmpty(); i++) {
        Thread.sleep(100);
        first = reader.latest(runId);
      }
      assertThat(first).as(describe(runId)).isPresent();
      assertThat(first.get().mibPerSec()).isEqualTo(25.0);
      MigrationProgress later = first.get();
      for (int i = 0; i < 100 && later.iteration() == first.get().iteration(); i++) {
        Thread.sleep(100);
        later = reader.latest(runId).orElse(later);
      }
      assertThat(later.iteration()).as("newer samples replace older ones").isGreaterThan(first.get().iteration());

      control.forceComplete(runId);
      String state = "RUNNING";
      for (int i = 0; i < 300 && state.equals("RUNNING"); i++) {
        Thread.sleep(100);
        state = jdbc.sql("select state from runs where id = :id").param("id", runId).query(String.class).single();
      }
      assertThat(state).isEqualTo("SUCCEEDED");
      assertThat(hosts.forced()).isTrue();
      assertThat(reader.latest(runId)).as("no transfer, no progress").isEmpty();
    }
  }

  private String describe(String runId) {
    return temporal.getWorkflowServiceStubs().blockingStub().describeWorkflowExecution(
        DescribeWorkflowExecutionRequest.newBuilder()
            .setNamespace("default")
            .setExecution(WorkflowExecution.newBuilder().setWorkflowId(runId))
            .build()).toString();
  }
}
