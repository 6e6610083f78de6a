package io.novacron.workflows.migrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mockingDetails;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.novacron.workflows.FailureTypes;
import io.novacron.workflows.StepOptions;
import io.novacron.workflows.host.DomainStatus;
import io.novacron.workflows.image.ImageSource;
import io.novacron.workflows.run.RunState;
import io.novacron.workflows.transfer.CloseReceiveRequest;
import io.novacron.workflows.transfer.ReceiveEndpoint;
import io.novacron.workflows.transfer.ReceiveOutcome;
import io.novacron.workflows.transfer.TransferRequest;
import io.novacron.workflows.transfer.TransferResult;
import io.temporal.activity.Activity;
import io.temporal.api.history.v1.ActivityTaskScheduledEventAttributes;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.ActivityCompletionException;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.InOrder;

/**
 * The parts of MigrateVm that move files with the transfer engine (warm and cold modes, live
 * mode's disk pre-copy), with mocked host agents and transfer engines on lab-a and lab-b.
 */
class MigrateVmTransferEngineWorkflowTest extends TwoHostMigrationTest {
  /** Both the disk and the live pre-copy overlay on top of it. */
  private static final VmFiles WITH_OVERLAY = new VmFiles(true, true, false, true);

  @BeforeEach
  void setUp(TestWorkflowEnvironment env, Worker worker) {
    startWorkers(env, worker);
    sourceDescribesTheRunningVm();
    agentsMoveFilesWithTheTransferEngine();
  }

  /** A live migration that switches over: the guest runs on lab-b, lab-a keeps its files. */
  private void switchesOver() {
    when(migA.migrateLive(any())).thenAnswer(call -> {
      VmFiles left = a.files();
      a.set(DomainProbe.ABSENT, "", null, left);
      b.set("running", "migrated", null, left.overlay() ? WITH_OVERLAY : NodeState.DISK);
      return new MigrationOutcome(900, null, false);
    });
  }

  @Test
  void warm_move_saves_streams_restores_resumes_and_removes_the_source(WorkflowClient client, WorkflowOptions options) {
    MigrateVmWorkflow workflow = client.newWorkflowStub(MigrateVmWorkflow.class, options);
    MigrateVmResult result = workflow.migrate(warm("lz4"));

    assertThat(result.targetNode()).isEqualTo("lab-b");
    assertThat(result.bytesProcessed()).isEqualTo(40_000_000L + 5_000_000L);
    assertThat(result.bytesOnWire()).isEqualTo(10_000_000L + 1_250_000L);
    assertThat(result.downtimeMs()).isGreaterThanOrEqualTo(0);
    InOrder order = inOrder(migA, migB, xferA, xferB, hostA);
    order.verify(migB).prepareTarget(any());
    order.verify(migA).saveState(VM);
    order.verify(xferB, times(2)).openReceive(any());
    order.verify(xferB, times(2)).closeReceive(argThat(CloseReceiveRequest::commit));
    order.verify(migB).restoreIncoming(new RestoreRequest(VM, UUID, "/b/states/web1.save",
        "/b/disks/web1.qcow2", "<domain/>"));
    order.verify(migB).resume(VM);
    // The source's domain, disk and saved state go once the guest runs on the target only.
    order.verify(migA).removeCopy(new RemoveCopyRequest(VM, UUID, false));
    // The memory image goes to the target's state path, the disk to its volume; both compressed.
    verify(xferA).send(argThat(r -> r != null && r.sourcePath().equals(SAVED)
        && r.targetPath().equals("/b/states/web1.save") && r.options().codec().equals("lz4")
        && !r.options().delta()), any());
    verify(xferA).send(argThat(r -> r != null && r.sourcePath().equals("/a/disks/web1.qcow2")
        && r.targetPath().equals("/b/disks/web1.qcow2") && r.options().codec().equals("lz4")), any());
    verify(migA, never()).recoverSource(anyString());
    verify(migB, never()).removeCopy(any());
    assertThat(a.probe().hasTraces()).isFalse();
    assertThat(workflow.status().state()).isEqualTo(RunState.SUCCEEDED);
    assertThat(workflow.status().timeline()).extracting(e -> e.phase()).containsSubsequence(
        "check", "prepare-destination", "suspend", "transfer", "restore", "resume", "verify",
        "cleanup-source", "succeeded");
  }

  @Test
  void a_target_without_the_registered_base_image_gets_it_before_anything_of_the_vm_moves(
      WorkflowClient client, WorkflowOptions options) {
    ImageSource url = new ImageSource(ImageSource.Kind.URL, "debian-12", "qcow2", "a".repeat(64), 0, null,
        "https://images.example.org/debian-12.qcow2", null, List.of("images.example.org"), null);
    when(inventory.migrationImageSource(VM, "lab-b")).thenReturn(url);
    MigrateVmWorkflow workflow = client.newWorkflowStub(MigrateVmWorkflow.class, options);

    workflow.migrate(warm("lz4"));

    InOrder order = inOrder(imagesB, migB, xferB);
    order.verify(imagesB).download(url);
    order.verify(migB).prepareTarget(any());
    order.verify(xferB, times(2)).openReceive(any());
    assertThat(workflow.status().timeline()).extracting(e -> e.phase())
        .containsSubsequence("check", "prepare-destination", "pull-image", "prepare-destination", "transfer");
  }

  @Test
  void a_base_image_the_target_cannot_get_fails_the_move_before_the_target_is_touched(
      WorkflowClient client, WorkflowOptions options) {
    when(inventory.migrationImageSource(VM, "lab-b")).thenReturn(new ImageSource(ImageSource.Kind.REFUSE,
        "debian-12", null, null, 0, null, null, null, null, "node lab-b has no image 'debian-12' and it is not registered"));
    MigrateVmWorkflow workflow = client.newWorkflowStub(MigrateVmWorkflow.class, options);

    WorkflowFailedException failed = catchThrowableOfType(WorkflowFailedException.class,
        () -> workflow.migrate(warm("lz4")));

    assertThat(failed).isNotNull();
    verify(migB, never()).prepareTarget(any());
    verify(migA, never()).saveState(anyString());
    assertThat(workflow.status().state()).isEqualTo(RunState.FAILED);
    assertThat(workflow.status().timeline().get(workflow.status().timeline().size() - 1).detail())
        .contains("not registered");
  }

  @Test
  void a_warm_moves_node_steps_heartbeat_so_a_dead_agent_is_noticed_in_30_s(
      WorkflowClient client, WorkflowOptions options) {
    MigrateVmWorkflow workflow = client.newWorkflowStub(MigrateVmWorkflow.class, options);
    workflow.migrate(warm("lz4"));

    Map<String, ActivityTaskScheduledEventAttributes> scheduled = scheduled(client, workflow);
    assertHeartbeatTimeout(scheduled, "Migration.SaveState", StepOptions.GUEST_STEP_HEARTBEAT);
    assertHeartbeatTimeout(scheduled, "Migration.RestoreIncoming", StepOptions.GUEST_STEP_HEARTBEAT);
    assertThat(scheduled.get("Migration.SaveState").getStartToCloseTimeout().getSeconds()).isEqualTo(600);
    // Every node step heartbeats: until the resume returns the guest is paused, the receive is
    // closed while it is saved, and the removal is where the cleanup waits.
    for (String type : List.of("Migration.Resume", "Migration.RemoveCopy", "Migration.PrepareTarget",
        "Transfer.OpenReceive", "Transfer.CloseReceive", "Transfer.Send")) {
      assertHeartbeatTimeout(scheduled, type, StepOptions.GUEST_STEP_HEARTBEAT);
    }
    // Control plane steps do not heartbeat and must not get a heartbeat timeout: it would fail them.
    assertHeartbeatTimeout(scheduled, "Inventory.MoveVm", Duration.ZERO);
  }

  @Test
  void a_cold_moves_node_steps_heartbeat_so_a_dead_agent_is_noticed_in_30_s(
      WorkflowClient client, WorkflowOptions options) {
    when(hostB.verifyRunning(VM)).thenReturn(status("running"));
    MigrateVmWorkflow workflow = client.newWorkflowStub(MigrateVmWorkflow.class, options);
    workflow.migrate(cold());

    Map<String, ActivityTaskScheduledEventAttributes> scheduled = scheduled(client, workflow);
    assertHeartbeatTimeout(scheduled, "Migration.ShutdownForMove", StepOptions.GUEST_STEP_HEARTBEAT);
    assertHeartbeatTimeout(scheduled, "Host.StartDomain", StepOptions.GUEST_STEP_HEARTBEAT);
    // The guest is down until the start: the define on the target heartbeats like the rest.
    assertHeartbeatTimeout(scheduled, "Migration.DefineIncoming", StepOptions.GUEST_STEP_HEARTBEAT);
    assertThat(scheduled.get("Host.StartDomain").getStartToCloseTimeout().getSeconds()).isEqualTo(120);
  }

  /** The first scheduling of each activity type in the run's history. */
  private static Map<String, ActivityTaskScheduledEventAttributes> scheduled(
      WorkflowClient client, MigrateVmWorkflow workflow) {
    return client.fetchHistory(WorkflowStub.fromTyped(workflow).getExecution().getWorkflowId())
        .getEvents().stream()
        .filter(HistoryEvent::hasActivityTaskScheduledEventAttributes)
        .map(HistoryEvent::getActivityTaskScheduledEventAttributes)
        .collect(Collectors.toMap(a -> a.getActivityType().getName(), a -> a, (first, later) -> first));
  }

  private static void assertHeartbeatTimeout(
      Map<String, ActivityTaskScheduledEventAttributes> scheduled, String type, Duration expected) {
    assertThat(scheduled).as("scheduled activities").containsKey(type);
    assertThat(scheduled.get(type).getHeartbeatTimeout().getSeconds()).as(type + " heartbeat timeout")
        .isEqualTo(expected.getSeconds());
  }

  @Test
  void warm_move_compresses_with_zstd_by_default(WorkflowClient client, WorkflowOptions options) {
    client.newWorkflowStub(MigrateVmWorkflow.class, options).migrate(warm(null));

    verify(xferA, times(2)).send(argThat(r -> r != null && r.options().codec().equals("zstd:3")), any());
  }

  @Test
  void a_failed_transfer_restores_the_source_and_leaves_the_target_clean(WorkflowClient client, WorkflowOptions options) {
    org.mockito.Mockito.doAnswer(call -> {
      TransferRequest r = call.getArgument(0);
      if (r.sourcePath().equals(SAVED)) {
        throw ApplicationFailure.newNonRetryableFailure("receiver refused the file", "TransferVerifyFailed");
      }
      return sent(r);
    }).when(xferA).send(any(), any());

    MigrateVmWorkflow workflow = client.newWorkflowStub(MigrateVmWorkflow.class, options);
    assertThatThrownBy(() -> workflow.migrate(warm(null)))
        .isInstanceOf(WorkflowFailedException.class)
        .rootCause().hasMessageContaining("receiver refused");

    assertTargetCleanAndSourceRestored();
    verify(migB, never()).restoreIncoming(any());
    assertThat(workflow.status().state()).isEqualTo(RunState.FAILED);
    assertThat(workflow.status().timeline()).extracting(e -> e.phase()).contains("rollback");
  }

  @Test
  void a_failed_restore_on_the_target_undoes_the_target_before_restoring_the_source(
      WorkflowClient client, WorkflowOptions options) {
    when(migB.restoreIncoming(any())).thenAnswer(call -> {
      b.defined(); // the restore defined the domain, then QEMU died
      throw ApplicationFailure.newNonRetryableFailure(
          "internal error: qemu unexpectedly closed the monitor", FailureTypes.MIGRATION_FAILED);
    });

    MigrateVmWorkflow workflow = client.newWorkflowStub(MigrateVmWorkflow.class, options);
    assertThatThrownBy(() -> workflow.migrate(warm(null))).isInstanceOf(WorkflowFailedException.class);

    // Neither runs: the source's saved copy is whole and comes back first; the target's copy
    // goes only once the source is seen running again.
    InOrder order = inOrder(migB, migA);
    order.verify(migA).recoverSource(VM);
    order.verify(migB).removeCopy(new RemoveCopyRequest(VM, UUID, false));
    assertTargetCleanAndSourceRestored();
    verify(migB, never()).resume(anyString());
  }

  @Test
  void a_failed_save_recovers_the_source_and_never_streams(WorkflowClient client, WorkflowOptions options) {
    when(migA.saveState(VM)).thenAnswer(call -> {
      a.set("paused", "user", null, NodeState.DISK); // paused for the save, which then failed
      throw ApplicationFailure.newNonRetryableFailure(
          "operation failed: domain save job: unexpectedly failed", FailureTypes.MIGRATION_FAILED);
    });

    MigrateVmWorkflow workflow = client.newWorkflowStub(MigrateVmWorkflow.class, options);
    assertThatThrownBy(() -> workflow.migrate(warm(null))).isInstanceOf(WorkflowFailedException.class);

    verify(migA).recoverSource(VM);
    assertThat(a.isRunning()).isTrue();
    verify(xferB, never()).openReceive(any());
    verify(migB).removeCopy(new RemoveCopyRequest(VM, UUID, false));
    // Recovering may restore the saved guest: as long a step as the save, heartbeating like it.
    Map<String, ActivityTaskScheduledEventAttributes> scheduled = scheduled(client, workflow);
    assertHeartbeatTimeout(scheduled, "Migration.RecoverSource", StepOptions.GUEST_STEP_HEARTBEAT);
    assertThat(scheduled.get("Migration.RecoverSource").getStartToCloseTimeout().getSeconds()).isEqualTo(600);
  }

  @Test
  void cancelling_during_the_stream_rolls_back(WorkflowClient client, WorkflowOptions options) throws Exception {
    CountDownLatch streaming = new CountDownLatch(1);
    org.mockito.Mockito.doAnswer(call -> {
      streaming.countDown();
      try {
        while (true) {
          Activity.getExecutionContext().heartbeat(null);
          Thread.sleep(100);
        }
      } catch (ActivityCompletionException e) {
        throw e;
      }
    }).when(xferA).send(any(), any());

    MigrateVmWorkflow workflow = client.newWorkflowStub(MigrateVmWorkflow.class, options);
    WorkflowClient.start(workflow::migrate, warm(null));
    assertThat(streaming.await(30, TimeUnit.SECONDS)).isTrue();
    WorkflowStub.fromTyped(workflow).cancel();

    assertThatThrownBy(() -> WorkflowStub.fromTyped(workflow).getResult(MigrateVmResult.class))
        .isInstanceOf(WorkflowFailedException.class)
        .hasCauseInstanceOf(CanceledFailure.class);
    assertTargetCleanAndSourceRestored();
    assertThat(workflow.status().state()).isEqualTo(RunState.CANCELLED);
  }

  @Test
  void cold_move_stops_streams_the_disk_defines_starts_and_removes_the_source(
      WorkflowClient client, WorkflowOptions options) {
    when(hostB.verifyRunning(VM)).thenReturn(status("running"));

    MigrateVmWorkflow workflow = client.newWorkflowStub(MigrateVmWorkflow.class, options);
    MigrateVmResult result = workflow.migrate(cold());

    assertThat(result.targetNode()).isEqualTo("lab-b");
    assertThat(result.bytesProcessed()).isEqualTo(5_000_000L);
    assertThat(result.bytesOnWire()).isEqualTo(1_250_000L);
    InOrder order = inOrder(migA, migB, xferA, xferB, hostA, hostB);
    order.verify(migB).prepareTarget(any());
    order.verify(migA).shutdownForMove(VM, MigrationPolicy.DEFAULT_SHUTDOWN_SECONDS);
    order.verify(xferB).openReceive(any());
    order.verify(xferA).send(argThat(r -> r != null && r.sourcePath().equals("/a/disks/web1.qcow2")
        && r.targetPath().equals("/b/disks/web1.qcow2") && r.options().codec().equals("zstd:3")), any());
    order.verify(xferB).closeReceive(argThat(CloseReceiveRequest::commit));
    order.verify(migB).defineIncoming(VM, UUID, "<domain/>");
    order.verify(hostB).startDomain(VM);
    order.verify(hostB).verifyRunning(VM);
    order.verify(migA).removeCopy(new RemoveCopyRequest(VM, UUID, false));
    // Nothing reads the source's disk path from the target: no shared storage needed.
    verify(migB, never()).copyDisk(anyString(), anyString());
    verify(migA, never()).saveState(anyString());
    verify(migA, never()).migrateLive(any());
    verify(migB, never()).removeCopy(any());
    assertThat(workflow.status().timeline()).extracting(e -> e.phase()).containsSubsequence(
        "prepare-destination", "shutdown", "transfer", "start-on-target", "verify", "cleanup-source",
        "succeeded");
  }

  @Test
  void a_cold_move_whose_disk_fails_to_arrive_starts_the_source_again(WorkflowClient client,
      WorkflowOptions options) {
    org.mockito.Mockito.doThrow(ApplicationFailure.newNonRetryableFailure(
        "checksum mismatch in block 17", "TransferVerifyFailed")).when(xferA).send(any(), any());

    MigrateVmWorkflow workflow = client.newWorkflowStub(MigrateVmWorkflow.class, options);
    assertThatThrownBy(() -> workflow.migrate(cold())).isInstanceOf(WorkflowFailedException.class)
        .rootCause().hasMessageContaining("checksum mismatch");

    verify(migA).recoverSource(VM);
    assertThat(a.isRunning()).isTrue();
    assertThat(opened).hasSize(1);
    verify(xferB).closeReceive(CloseReceiveRequest.abort(opened.get(0)));
    verify(migB).removeCopy(new RemoveCopyRequest(VM, UUID, false));
    verify(migB, never()).defineIncoming(anyString(), anyString(), anyString());
    verify(migA, never()).removeCopy(any());
    assertThat(workflow.status().state()).isEqualTo(RunState.FAILED);
  }

  @Test
  void cold_move_is_rolled_back_when_the_target_does_not_boot(WorkflowClient client, WorkflowOptions options) {
    when(hostB.verifyRunning(VM)).thenThrow(ApplicationFailure.newNonRetryableFailure(
        "web1 runs but did not print 'novacron-guest: up'", FailureTypes.DOMAIN_NOT_RUNNING));

    MigrateVmWorkflow workflow = client.newWorkflowStub(MigrateVmWorkflow.class, options);
    assertThatThrownBy(() -> workflow.migrate(cold())).isInstanceOf(WorkflowFailedException.class);

    // The copy that did not come up is powered off first, so that two never run at once; then
    // the source starts again, and only then is the target's copy removed.
    InOrder order = inOrder(migA, hostB, migB);
    order.verify(hostB).stopDomain(VM);
    order.verify(migA).recoverSource(VM);
    order.verify(migB).removeCopy(new RemoveCopyRequest(VM, UUID, false));
    verify(migA, never()).removeCopy(any());
  }

  @Test
  void live_move_precopies_the_disk_then_mirrors_only_the_overlay_and_flattens_it(
      WorkflowClient client, WorkflowOptions options) {
    precopyTarget();
    switchesOver();

    MigrateVmWorkflow workflow = client.newWorkflowStub(MigrateVmWorkflow.class, options);
    MigrateVmResult result = workflow.migrate(live(null));

    assertThat(result.bytesOnWire()).isEqualTo(1_250_000L);
    InOrder order = inOrder(migA, migB, xferA, xferB, hostA);
    order.verify(migB).prepareTarget(argThat(r -> r != null && r.precopyDisk()));
    order.verify(migA).freezeDisk(VM);
    order.verify(xferB).openReceive(any());
    // The frozen disk below the overlay goes to the target's volume while the guest runs.
    order.verify(xferA).send(argThat(r -> r != null && r.sourcePath().equals("/a/disks/web1.qcow2")
        && r.targetPath().equals("/b/disks/web1.qcow2")), any());
    order.verify(xferB).closeReceive(argThat(CloseReceiveRequest::commit));
    order.verify(migB).stackOverlay(VM);
    order.verify(migA).migrateLive(argThat(r -> r != null && r.copyStorage() && r.incrementalStorage()));
    order.verify(migB).commitOverlay(VM);
    // The source's cleanup runs beside the target's flatten: after the switch-over, in either order.
    InOrder onSource = inOrder(migA);
    onSource.verify(migA).migrateLive(any());
    onSource.verify(migA).removeCopy(new RemoveCopyRequest(VM, UUID, false));
    verify(migA, never()).commitOverlay(anyString());
    verify(migA, never()).recoverSource(anyString());
    assertThat(workflow.status().timeline()).extracting(e -> e.phase()).containsSubsequence(
        "prepare-destination", "precopy-disk", "transfer", "verify", "flatten", "cleanup-source",
        "succeeded");
  }

  @Test
  void the_targets_flatten_runs_beside_the_inventory_record_and_the_source_cleanup(
      WorkflowClient client, WorkflowOptions options) {
    precopyTarget();
    switchesOver();
    // Run one after the other, the flatten would wait here for a cleanup that comes after it.
    doAnswer(call -> {
      if (!awaitCall(migA, "removeCopy")) {
        throw ApplicationFailure.newNonRetryableFailure("the source's cleanup did not run beside the flatten",
            "Test");
      }
      return null;
    }).when(migB).commitOverlay(VM);

    MigrateVmWorkflow workflow = client.newWorkflowStub(MigrateVmWorkflow.class, options);
    workflow.migrate(live(null));

    assertThat(workflow.status().timeline()).extracting(e -> String.valueOf(e.detail()))
        .noneMatch(d -> d.contains("the overlay stays"));
    verify(inventory).moveVm(eq(VM), eq("lab-b"), any());
    assertThat(workflow.status().state()).isEqualTo(RunState.SUCCEEDED);
  }

  @Test
  void a_failed_live_transfer_after_the_precopy_merges_the_source_overlay_back(
      WorkflowClient client, WorkflowOptions options) {
    precopyTarget();
    when(migA.migrateLive(any())).thenAnswer(call -> {
      // A forced pause that libvirt did not undo: the source is paused on its overlay.
      a.set("paused", "user", null, WITH_OVERLAY);
      throw ApplicationFailure.newNonRetryableFailure(
          "libvirt failed the migration: connection reset", FailureTypes.MIGRATION_FAILED);
    });

    MigrateVmWorkflow workflow = client.newWorkflowStub(MigrateVmWorkflow.class, options);
    assertThatThrownBy(() -> workflow.migrate(live(null))).isInstanceOf(WorkflowFailedException.class);

    // Resumed first (a forced pause), the target cleared, then its writes merged back into its own disk.
    InOrder order = inOrder(migA, migB);
    order.verify(migA).recoverSource(VM);
    order.verify(migB).removeCopy(new RemoveCopyRequest(VM, UUID, false));
    order.verify(migA).commitOverlay(VM);
    assertThat(opened).hasSize(1);
    verify(xferB).closeReceive(CloseReceiveRequest.abort(opened.get(0)));
    verify(migB, never()).commitOverlay(anyString());
    verify(hostA, never()).deleteDisk(anyString());
    assertThat(workflow.status().state()).isEqualTo(RunState.FAILED);
  }

  @Test
  void a_live_move_without_precopy_mirrors_the_whole_disk(WorkflowClient client, WorkflowOptions options) {
    precopyTarget();
    switchesOver();

    client.newWorkflowStub(MigrateVmWorkflow.class, options).migrate(live(false));

    verify(migB).prepareTarget(argThat(r -> r != null && !r.precopyDisk()));
    verify(migA).migrateLive(argThat(r -> r != null && r.copyStorage() && !r.incrementalStorage()));
    verify(migA, never()).freezeDisk(anyString());
    verify(xferB, never()).openReceive(any());
    verify(migB, never()).commitOverlay(anyString());
  }

  @Test
  void a_live_move_that_does_not_say_leaves_a_small_disk_standing_alone_to_the_mirror(
      WorkflowClient client, WorkflowOptions options) {
    sourceDescribesASmallDiskStandingAlone();
    precopyTarget();
    switchesOver();

    MigrateVmWorkflow workflow = client.newWorkflowStub(MigrateVmWorkflow.class, options);
    workflow.migrate(live(null));

    verify(migB).prepareTarget(argThat(r -> r != null && !r.precopyDisk()));
    verify(migA).migrateLive(argThat(r -> r != null && r.copyStorage() && !r.incrementalStorage()));
    verify(migA, never()).freezeDisk(anyString());
    verify(xferB, never()).openReceive(any());
    assertThat(workflow.status().timeline()).extracting(e -> e.phase()).doesNotContain("precopy-disk");
    assertThat(workflow.status().state()).isEqualTo(RunState.SUCCEEDED);
  }

  @Test
  void a_live_move_that_asks_for_the_precopy_gets_it_for_any_disk(WorkflowClient client, WorkflowOptions options) {
    sourceDescribesASmallDiskStandingAlone();
    precopyTarget();
    switchesOver();

    client.newWorkflowStub(MigrateVmWorkflow.class, options).migrate(live(true));

    verify(migB).prepareTarget(argThat(r -> r != null && r.precopyDisk()));
    verify(migA).freezeDisk(VM);
    verify(migA).migrateLive(argThat(r -> r != null && r.copyStorage() && r.incrementalStorage()));
  }

  /** As {@link #sourceDescribesTheRunningVm}, with 1 MiB in a disk that has no image below it. */
  private void sourceDescribesASmallDiskStandingAlone() {
    when(migA.describeSource(VM)).thenReturn(new MigrationSource(VM, UUID, "running", "<domain/>",
        "<cpu/>", "/a/disks/web1.qcow2", 1L << 30, 128L << 20, 1L << 20, true));
  }

  /** Whether {@code method} of the mock has been called, within 20 s. */
  private static boolean awaitCall(Object mock, String method) throws InterruptedException {
    for (int i = 0; i < 1000; i++) {
      if (mockingDetails(mock).getInvocations().stream().anyMatch(c -> c.getMethod().getName().equals(method))) {
        return true;
      }
      Thread.sleep(20);
    }
    return false;
  }

  /** A target agent that knows pre-copy: it answers with the overlay path. */
  private void precopyTarget() {
    when(migB.prepareTarget(any())).thenAnswer(call -> {
      TargetRequest r = call.getArgument(0);
      b.set(DomainProbe.ABSENT, "", null, NodeState.DISK);
      return new MigrationTarget("/b/disks/web1.qcow2", "<domain/>", "qemu+tcp://10.77.0.2/system",
          "/b/states/web1.save", r.precopyDisk() ? "/b/disks/web1.precopy.qcow2" : null);
    });
    when(migA.freezeDisk(VM)).thenAnswer(call -> {
      a.set("running", "booted", null, WITH_OVERLAY);
      return new FrozenDisk("/a/disks/web1.qcow2", "/a/disks/web1.precopy.qcow2", 5_000_000);
    });
    when(migB.completedJob(VM)).thenReturn(new CompletedJob(120, 9_000_000, 900));
  }

  /** The source has its guest back; the target has no transfer, state file, domain or disk. */
  private void assertTargetCleanAndSourceRestored() {
    verify(migA).recoverSource(VM);
    assertThat(opened).hasSize(2);
    for (String id : opened) {
      verify(xferB).closeReceive(CloseReceiveRequest.abort(id));
    }
    verify(migB).removeCopy(new RemoveCopyRequest(VM, UUID, false));
    assertThat(b.probe().hasTraces()).isFalse();
    assertThat(a.isRunning()).isTrue();
    verify(migA, never()).removeCopy(any());
  }


  private static MigrateVmRequest live(Boolean precopy) {
    return new MigrateVmRequest(VM, "lab-a", "lab-b", MigrationMode.LIVE,
        MigrationOptions.defaults()
            .withPrecopyDisk(precopy));
  }
}
