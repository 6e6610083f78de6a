package io.novacron.workflows.migrate;

import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import io.novacron.workflows.TaskQueues;
import io.novacron.workflows.host.HostActivities;
import io.novacron.workflows.node.InventoryActivities;
import io.novacron.workflows.migrate.slots.MigrationSlotsWorkflowImpl;
import io.novacron.workflows.run.RunRecordActivities;
import io.novacron.workflows.transfer.TransferActivities;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What every MigrateVm workflow test shares: Temporal's test server running MigrateVm and the slot
 * keeper, mocked control activities, and mocked agents on lab-a (the source, where {@link #VM}
 * runs) and lab-b (the target), each with its host, migration and transfer activities.
 */
@Timeout(value = 300)
abstract class TwoHostMigrationTest {
  static final String VM = "web1";
  static final String UUID = "6f1c1b8e-0000-4000-8000-000000000001";

  @RegisterExtension
  static final TestWorkflowExtension testWorkflow = TestWorkflowExtension.newBuilder()
      .setWorkflowTypes(MigrateVmWorkflowImpl.class, MigrationSlotsWorkflowImpl.class)
      .setDoNotStart(true)
      .build();

  final RunRecordActivities runs = agent(RunRecordActivities.class);
  final InventoryActivities inventory = agent(InventoryActivities.class);
  final HostActivities hostA = agent(HostActivities.class);
  final HostActivities hostB = agent(HostActivities.class);
  final MigrationActivities migA = agent(MigrationActivities.class);
  final MigrationActivities migB = agent(MigrationActivities.class);
  final TransferActivities xferA = agent(TransferActivities.class);
  final TransferActivities xferB = agent(TransferActivities.class);
  /** What lab-a's probes answer: the VM runs there. */
  final NodeState a = new NodeState("lab-a", VM, UUID).runs();
  /** What lab-b's probes answer: nothing yet. */
  final NodeState b = new NodeState("lab-b", VM, UUID);

  /** Registers the mocks on their queues (slots granted at once) and starts the test server. */
  void startWorkers(TestWorkflowEnvironment env, Worker control) {
    control.registerActivitiesImplementations(runs, inventory, new GrantedSlots());
    env.newWorker(TaskQueues.host("lab-a")).registerActivitiesImplementations(hostA, migA, xferA);
    env.newWorker(TaskQueues.host("lab-b")).registerActivitiesImplementations(hostB, migB, xferB);
    env.start();
  }

  /** lab-a describes {@link #VM} as running there with a 1 GiB disk and 128 MiB of memory. */
  void sourceDescribesTheRunningVm() {
    when(migA.describeSource(VM)).thenReturn(new MigrationSource(VM, UUID, "running", "<domain/>",
        "<cpu/>", "/a/disks/web1.qcow2", 1L << 30, 128L << 20));
  }

  // Activity interfaces carry Temporal's annotations; the mocks must not copy them.
  private static <T> T agent(Class<T> activities) {
    return mock(activities, withSettings().withoutAnnotations());
  }
}
