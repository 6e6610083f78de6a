package io.novacron.workflows.migrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import io.novacron.workflows.TaskQueues;
import io.novacron.workflows.host.DomainStatus;
import io.novacron.workflows.host.HostActivities;
import io.novacron.workflows.node.InventoryActivities;
import io.novacron.workflows.run.RunState;
import io.novacron.workflows.run.RunStatus;
import io.novacron.workflows.migrate.slots.MigrationSlotsWorkflowImpl;
import io.novacron.workflows.run.RunRecordActivities;
import io.novacron.workflows.transfer.ReceiveEndpoint;
import io.novacron.workflows.transfer.ReceiveOutcome;
import io.novacron.workflows.image.ImageActivities;
import io.novacron.workflows.transfer.TransferActivities;
import io.novacron.workflows.transfer.TransferRequest;
import io.novacron.workflows.transfer.TransferResult;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
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
  static final String SAVED = "/a/states/web1.save";

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
  /** lab-b's image library (a move pulls a registered image the target lacks). */
  final ImageActivities imagesB = agent(ImageActivities.class);
  /** Transfer ids the target was asked to open, in order. */
  final List<String> opened = new CopyOnWriteArrayList<>();
  /** What lab-a's probes answer: the VM runs there. */
  final NodeState a = new NodeState("lab-a", VM, UUID).runs();
  /** What lab-b's probes answer: nothing yet. */
  final NodeState b = new NodeState("lab-b", VM, UUID);

  /** Registers the mocks on their queues (slots granted at once) and starts the test server. */
  void startWorkers(TestWorkflowEnvironment env, Worker control) {
    control.registerActivitiesImplementations(runs, inventory, new GrantedSlots());
    env.newWorker(TaskQueues.host("lab-a")).registerActivitiesImplementations(hostA, migA, xferA);
    env.newWorker(TaskQueues.host("lab-b")).registerActivitiesImplementations(hostB, migB, xferB, imagesB);
    env.start();
  }

  /** lab-a describes {@link #VM} as running there with a 1 GiB disk and 128 MiB of memory. */
  void sourceDescribesTheRunningVm() {
    when(migA.describeSource(VM)).thenReturn(new MigrationSource(VM, UUID, "running", "<domain/>",
        "<cpu/>", "/a/disks/web1.qcow2", 1L << 30, 128L << 20));
  }

  /**
   * The agents of a warm or cold move: lab-b prepares, opens receives, defines and restores;
   * lab-a saves, shuts down and sends (40 MB of state, 5 MB of disk, a quarter of it on the wire);
   * both answer probes, removals and starts from {@link #a} and {@link #b}.
   */
  void agentsMoveFilesWithTheTransferEngine() {
    when(hostB.status(VM)).thenReturn(status("absent"), status("running"));
    when(hostA.status(VM)).thenReturn(status("shut off"));
    when(xferB.openReceive(any())).thenAnswer(call -> {
      TransferRequest r = call.getArgument(0);
      opened.add(r.transferId());
      return new ReceiveEndpoint(r.transferId(), "10.77.0.2", 7950, "t", 0, 65536, 0, 0, null, 0);
    });
    when(xferA.send(any(), any())).thenAnswer(call -> sent(call.getArgument(0)));
    when(xferB.closeReceive(any())).thenReturn(mock(ReceiveOutcome.class));
    a.wire(migA, hostA);
    b.wire(migB, hostB);
    when(migB.prepareTarget(any())).thenAnswer(call -> {
      b.set(DomainProbe.ABSENT, "", null, NodeState.DISK);
      return new MigrationTarget("/b/disks/web1.qcow2", "<domain/>", "qemu+tcp://10.77.0.2/system",
          "/b/states/web1.save");
    });
    when(migA.saveState(VM)).thenAnswer(call -> {
      a.saved();
      return new SavedState(SAVED, 40_000_000);
    });
    when(migA.shutdownForMove(VM, MigrationPolicy.DEFAULT_SHUTDOWN_SECONDS)).thenAnswer(call -> {
      a.shutOff();
      return status("shutoff");
    });
    when(migB.restoreIncoming(any())).thenAnswer(call -> {
      b.set("paused", "user", null, NodeState.DISK);
      return status("paused");
    });
    when(migB.defineIncoming(VM, UUID, "<domain/>")).thenAnswer(call -> {
      b.defined();
      return status("shutoff");
    });
  }

  static MigrateVmRequest warm(String codec) {
    return new MigrateVmRequest(VM, "lab-a", "lab-b", MigrationMode.WARM,
        MigrationOptions.defaults().withTransferCodec(codec));
  }

  static MigrateVmRequest cold() {
    return new MigrateVmRequest(VM, "lab-a", "lab-b", MigrationMode.COLD, null);
  }

  static DomainStatus status(String state) {
    return new DomainStatus(VM, "absent".equals(state) ? null : UUID, state, "qemu", null);
  }

  /** What lab-a's engine reports for a file sent: a state file of 40 MB or a disk of 5 MB. */
  static TransferResult sent(TransferRequest r) {
    long raw = r.sourcePath().equals(SAVED) ? 40_000_000 : 5_000_000;
    return new TransferResult(r.transferId(), raw, raw / 4, raw / 65536, raw / 65536, 0, 0, 0, 4.0,
        1.0, "ab", 1, Map.of("lz4", raw / 4));
  }

  /**
   * A cancel that came after the switch-over: the run succeeded with the VM on lab-b and says the
   * cancel came too late instead of pretending it was undone.
   */
  static void assertMovedDespiteTheCancel(RunStatus status) {
    assertThat(status.state()).isEqualTo(RunState.SUCCEEDED);
    assertThat(status.node()).isEqualTo("lab-b");
    assertThat(status.timeline()).last().extracting(e -> e.detail()).asString()
        .contains("exactly one running copy, on lab-b").endsWith(MoveHeadline.TOO_LATE);
  }

  // Activity interfaces carry Temporal's annotations; the mocks must not copy them.
  private static <T> T agent(Class<T> activities) {
    return mock(activities, withSettings().withoutAnnotations());
  }
}
