package io.novacron.workflows.migrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.timeout;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.novacron.workflows.FailureTypes;
import io.novacron.workflows.Replays;
import io.novacron.workflows.host.DomainStatus;
import io.novacron.workflows.run.RunState;
import io.temporal.activity.Activity;
import io.temporal.client.ActivityCompletionException;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.mockito.InOrder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The MigrateVm saga with mocked host agents on lab-a (source) and lab-b (target). */
class MigrateVmWorkflowTest extends TwoHostMigrationTest {
  static final Path RECORDED = Path.of("src/test/resources/io/novacron/workflows/migrate/migrate-vm-happy-history.json");
  /**
   * A live move with a pre-copy on the real lab that took every overlapped step (getVersion
   * ask-while-queued, overlap-check, overlap-verify, overlap-record, overlap-release), written by
   * {@code novacron bench migrate --sets=live --histories=DIR} (round 2 of the run in
   * docs/bench/migrate.md).
   */
  static final Path OVERLAPPED = RECORDED.resolveSibling("migrate-vm-overlapped-live-lab-history.json");

  @BeforeEach
  void setUp(TestWorkflowEnvironment env, Worker worker) {
    startWorkers(env, worker);
    sourceDescribesTheRunningVm();
    when(hostB.status(VM)).thenReturn(status("absent"), status("running"));
    when(hostA.status(VM)).thenReturn(status("absent"));
    when(migB.completedJob(VM)).thenReturn(new CompletedJob(120, 75_000_000, 900));
    a.wire(migA, hostA);
    b.wire(migB, hostB);
    // prepareTarget leaves the target's empty volume (and console path) behind it.
    when(migB.prepareTarget(any())).thenAnswer(call -> {
      b.set(DomainProbe.ABSENT, "", null, NodeState.DISK);
      return new MigrationTarget("/b/disks/web1.qcow2", "<domain/>", "qemu+tcp://10.77.0.2/system", "/b/states/web1.save");
    });
  }

  /** A live migration that switches over: the guest runs on lab-b, lab-a keeps its disk. */
  private org.mockito.stubbing.Answer<MigrationOutcome> switchesOver(MigrationOutcome outcome) {
    return call -> {
      a.left();
      b.runs();
      return outcome;
    };
  }

  @Test
  void migration_moves_the_vm_and_deletes_the_source_disk(
      TestWorkflowEnvironment env, WorkflowClient client, WorkflowOptions options) throws Exception {
    when(migA.migrateLive(any())).thenAnswer(switchesOver(new MigrationOutcome(950, progress(3), false)));

    MigrateVmWorkflow workflow = client.newWorkflowStub(MigrateVmWorkflow.class, options);
    MigrateVmResult result = workflow.migrate(request());

    assertThat(result).isEqualTo(new MigrateVmResult(VM, "lab-a", "lab-b", 950, 120, 75_000_000, 3, false));
    // The source's disk and console go once the guest is seen running on the target only.
    verify(migA).removeCopy(new RemoveCopyRequest(VM, UUID, false));
    verify(migB, never()).removeCopy(any());
    assertThat(a.probe().hasTraces()).isFalse();
    // The target's capacity is held from the precheck until the VM's own has moved there.
    String runId = WorkflowStub.fromTyped(workflow).getExecution().getWorkflowId();
    InOrder held = inOrder(inventory);
    held.verify(inventory).reserveMigrationTarget(runId, VM, "lab-b");
    held.verify(inventory).moveVm(eq(VM), eq("lab-b"), any());
    held.verify(inventory).releaseMigrationTarget(runId);
    verify(hostB, never()).undefineDomain(anyString(), anyString());
    verify(hostB, never()).deleteDisk(anyString());
    verify(migA, never()).recoverSource(anyString());
    assertThat(workflow.status().state()).isEqualTo(RunState.SUCCEEDED);
    assertThat(workflow.status().node()).isEqualTo("lab-b");
    assertThat(workflow.status().timeline()).extracting(e -> e.phase()).containsSubsequence(
        "check", "prepare-destination", "transfer", "verify", "cleanup-source", "succeeded");

    WorkflowExecutionHistory history = client.fetchHistory(WorkflowStub.fromTyped(workflow).getExecution().getWorkflowId());
    Replays.replay(history, MigrateVmWorkflowImpl.class);
    if (Boolean.getBoolean("novacron.recordHistory")) {
      Files.createDirectories(RECORDED.getParent());
      Files.writeString(RECORDED, history.toJson(true));
    }
  }

  /**
   * Once the VM runs on the target only and the inventory has it there, the target's hold is
   * released beside the source's cleanup (here the cleanup waits for it: the run before this
   * release-when-moved released after the cleanup, and this test failed), and the source's answer
   * to the cleanup ends the settlement without a second look at either node.
   */
  @Test
  void the_releases_go_beside_the_cleanup_whose_answer_ends_the_move(WorkflowClient client, WorkflowOptions options)
      throws Exception {
    when(migA.migrateLive(any())).thenAnswer(switchesOver(new MigrationOutcome(950, progress(3), false)));
    CountDownLatch released = new CountDownLatch(1);
    doAnswer(call -> {
      released.countDown();
      return null;
    }).when(inventory).releaseMigrationTarget(anyString());
    AtomicBoolean releasedDuringCleanup = new AtomicBoolean();
    doAnswer(call -> {
      releasedDuringCleanup.set(released.await(10, TimeUnit.SECONDS));
      return a.cleared().probe();
    }).when(migA).removeCopy(any());

    MigrateVmWorkflow workflow = client.newWorkflowStub(MigrateVmWorkflow.class, options);
    MigrateVmResult result = workflow.migrate(request());

    assertThat(result.targetNode()).isEqualTo("lab-b");
    assertThat(releasedDuringCleanup).isTrue();
    verify(inventory, times(1)).releaseMigrationTarget(anyString());
    // One look at both nodes after the transfer; the removal's answer stands in for the second.
    verify(migA, times(1)).probe(VM);
    verify(migB, times(1)).probe(VM);
    assertThat(a.probe().hasTraces()).isFalse();
    assertThat(workflow.status().state()).isEqualTo(RunState.SUCCEEDED);
    Replays.replay(
        client.fetchHistory(WorkflowStub.fromTyped(workflow).getExecution().getWorkflowId()), MigrateVmWorkflowImpl.class);
  }

  /** A removal that answers with files still on the source is not the end: both nodes are looked at again. */
  @Test
  void a_cleanup_that_leaves_files_behind_is_looked_at_again(WorkflowClient client, WorkflowOptions options) {
    when(migA.migrateLive(any())).thenAnswer(switchesOver(new MigrationOutcome(950, progress(3), false)));
    doAnswer(call -> a.probe()).doAnswer(call -> a.cleared().probe()).when(migA).removeCopy(any());

    MigrateVmWorkflow workflow = client.newWorkflowStub(MigrateVmWorkflow.class, options);
    workflow.migrate(request());

    verify(migA, times(2)).removeCopy(new RemoveCopyRequest(VM, UUID, false));
    verify(migA, times(2)).probe(VM);
    assertThat(a.probe().hasTraces()).isFalse();
    assertThat(workflow.status().state()).isEqualTo(RunState.SUCCEEDED);
  }

  @Test
  void migration_is_rolled_back_when_the_transfer_fails(WorkflowClient client, WorkflowOptions options) {
    when(migA.migrateLive(any())).thenThrow(ApplicationFailure.newNonRetryableFailure(
        "libvirt failed the migration: connection reset", FailureTypes.MIGRATION_FAILED));

    MigrateVmWorkflow workflow = client.newWorkflowStub(MigrateVmWorkflow.class, options);
    assertThatThrownBy(() -> workflow.migrate(request()))
        .isInstanceOf(WorkflowFailedException.class)
        .rootCause().hasMessageContaining("connection reset");
    // Both nodes asked after the rollback; the record says where the one copy runs.
    assertThat(workflow.status().timeline()).extracting(e -> e.detail())
        .contains("exactly one running copy, on lab-a");
    assertThat(workflow.status().timeline()).last().extracting(e -> e.detail()).asString()
        .startsWith("web1 runs on lab-a (rolled back): libvirt failed the migration: connection reset");

    // The guest never stopped on lab-a: nothing to recover there, only the target to clear.
    verify(migA, never()).recoverSource(VM);
    verify(migB).removeCopy(new RemoveCopyRequest(VM, UUID, false));
    assertThat(b.probe().hasTraces()).isFalse();
    assertThat(a.isRunning()).isTrue();
    verify(migA, never()).removeCopy(any());
    verify(hostA, never()).deleteDisk(anyString());
    // The target holds no reservation either.
    verify(inventory).releaseMigrationTarget(WorkflowStub.fromTyped(workflow).getExecution().getWorkflowId());
    verify(inventory, never()).moveVm(anyString(), anyString(), any());
    assertThat(workflow.status().state()).isEqualTo(RunState.FAILED);
  }

  @Test
  void a_target_without_room_for_the_vm_is_refused_before_anything_is_touched(WorkflowClient client,
      WorkflowOptions options) {
    when(inventory.reserveMigrationTarget(anyString(), eq(VM), eq("lab-b"))).thenReturn(
        "node 'lab-b' cannot take web1: needs 2048 MiB memory, 512 MiB free; pick another node or free capacity there");

    MigrateVmWorkflow workflow = client.newWorkflowStub(MigrateVmWorkflow.class, options);
    assertThatThrownBy(() -> workflow.migrate(request()))
        .isInstanceOf(WorkflowFailedException.class)
        .rootCause().hasMessageContaining("512 MiB free");

    verify(migB, never()).prepareTarget(any());
    verify(migA, never()).migrateLive(any());
    verify(migA, never()).recoverSource(anyString());
    verify(hostB, never()).deleteDisk(anyString());
    assertThat(workflow.status().state()).isEqualTo(RunState.FAILED);
    assertThat(workflow.status().timeline()).last().extracting(e -> e.detail()).asString().contains("512 MiB free");
  }

  @Test
  void migration_is_rejected_when_the_target_already_has_the_domain(WorkflowClient client, WorkflowOptions options) {
    when(hostB.status(VM)).thenReturn(status("running"));

    MigrateVmWorkflow workflow = client.newWorkflowStub(MigrateVmWorkflow.class, options);
    assertThatThrownBy(() -> workflow.migrate(request()))
        .isInstanceOf(WorkflowFailedException.class)
        .rootCause().isInstanceOf(ApplicationFailure.class)
        .satisfies(f -> assertThat(((ApplicationFailure) f).getType()).isEqualTo(FailureTypes.DOMAIN_CONFLICT));
    verify(migB, never()).prepareTarget(any());
    verify(migA, never()).migrateLive(any());
  }

  @Test
  void a_capacity_hold_taken_beside_a_failing_check_is_released(WorkflowClient client, WorkflowOptions options) {
    // The check asks source, target and inventory at once: the hold is taken although the
    // target's answer refuses the move, and the run's end gives it back.
    when(hostB.status(VM)).thenReturn(status("running"));

    MigrateVmWorkflow workflow = client.newWorkflowStub(MigrateVmWorkflow.class, options);
    assertThatThrownBy(() -> workflow.migrate(request())).isInstanceOf(WorkflowFailedException.class);
    String runId = WorkflowStub.fromTyped(workflow).getExecution().getWorkflowId();
    InOrder held = inOrder(inventory);
    held.verify(inventory).reserveMigrationTarget(runId, VM, "lab-b");
    held.verify(inventory).releaseMigrationTarget(runId);
    verify(migA).describeSource(VM);
  }

  @Test
  void a_target_that_does_not_answer_the_check_fails_the_run_naming_it(WorkflowClient client, WorkflowOptions options) {
    when(hostB.status(VM)).thenThrow(ApplicationFailure.newNonRetryableFailure(
        "Failed to connect socket to '/var/lib/novacron/lab/b/run/libvirt/libvirt-sock'", "LibvirtException"));

    MigrateVmWorkflow workflow = client.newWorkflowStub(MigrateVmWorkflow.class, options);
    assertThatThrownBy(() -> workflow.migrate(request()))
        .isInstanceOf(WorkflowFailedException.class)
        .rootCause().isInstanceOf(ApplicationFailure.class)
        .hasMessageContaining("target node lab-b did not answer the check")
        .satisfies(f -> assertThat(((ApplicationFailure) f).getType()).isEqualTo(FailureTypes.NODE_UNAVAILABLE));
    verify(migB, never()).prepareTarget(any());
    verify(migA, never()).migrateLive(any());
    assertThat(workflow.status().state()).isEqualTo(RunState.FAILED);
  }

  @Test
  void migration_to_the_same_node_is_invalid(WorkflowClient client, WorkflowOptions options) {
    MigrateVmWorkflow workflow = client.newWorkflowStub(MigrateVmWorkflow.class, options);
    assertThatThrownBy(() -> workflow.migrate(new MigrateVmRequest(VM, "lab-a", "lab-a", MigrationMode.LIVE, null)))
        .isInstanceOf(WorkflowFailedException.class)
        .rootCause().hasMessageContaining("targetNode");
    verify(migA, never()).describeSource(anyString());
  }

  @Test
  void a_request_without_source_node_moves_the_vm_from_where_the_inventory_has_it(
      WorkflowClient client, WorkflowOptions options) {
    when(inventory.vmNode(VM)).thenReturn("lab-a");
    when(migA.migrateLive(any())).thenAnswer(switchesOver(new MigrationOutcome(950, progress(3), false)));

    MigrateVmWorkflow workflow = client.newWorkflowStub(MigrateVmWorkflow.class, options);
    MigrateVmResult result = workflow.migrate(new MigrateVmRequest(VM, null, "lab-b", MigrationMode.LIVE, null));

    assertThat(result.sourceNode()).isEqualTo("lab-a");
    verify(migA).describeSource(VM);
    assertThat(workflow.status().timeline()).anyMatch(e -> "source node lab-a from the inventory".equals(e.detail()));
  }

  @Test
  void a_vm_the_inventory_does_not_know_needs_its_source_node(WorkflowClient client, WorkflowOptions options) {
    MigrateVmWorkflow workflow = client.newWorkflowStub(MigrateVmWorkflow.class, options);
    assertThatThrownBy(() -> workflow.migrate(new MigrateVmRequest(VM, " ", "lab-b", MigrationMode.LIVE, null)))
        .isInstanceOf(WorkflowFailedException.class)
        .rootCause().hasMessageContaining("sourceNode").hasMessageContaining("not in the inventory");
    verify(migA, never()).describeSource(anyString());
  }

  @Test
  void a_vm_the_inventory_has_on_the_target_is_refused(WorkflowClient client, WorkflowOptions options) {
    when(inventory.vmNode(VM)).thenReturn("lab-b");
    MigrateVmWorkflow workflow = client.newWorkflowStub(MigrateVmWorkflow.class, options);
    assertThatThrownBy(() -> workflow.migrate(new MigrateVmRequest(VM, null, "lab-b", MigrationMode.LIVE, null)))
        .isInstanceOf(WorkflowFailedException.class)
        .rootCause().hasMessageContaining("targetNode: must differ from sourceNode (lab-b)");
  }

  @Test
  void a_transfer_that_lost_its_report_after_switch_over_is_not_undone(WorkflowClient client, WorkflowOptions options) {
    // The monitor failed, but the domain has left the source and runs on the target.
    when(migA.migrateLive(any())).thenAnswer(call -> {
      a.left();
      b.runs();
      throw ApplicationFailure.newNonRetryableFailure("heartbeat lost", FailureTypes.MIGRATION_FAILED);
    });

    MigrateVmWorkflow workflow = client.newWorkflowStub(MigrateVmWorkflow.class, options);
    MigrateVmResult result = workflow.migrate(request());

    assertThat(result.targetNode()).isEqualTo("lab-b");
    verify(migB, never()).removeCopy(any());
    verify(hostB, never()).undefineDomain(anyString(), anyString());
    verify(migA, never()).recoverSource(anyString());
    verify(inventory).moveVm(eq(VM), eq("lab-b"), any());
    assertThat(workflow.status().state()).isEqualTo(RunState.SUCCEEDED);
    assertThat(workflow.status().timeline()).last().extracting(e -> e.detail()).asString()
        .contains("had switched over before: heartbeat lost");
  }

  @Test
  void cancelling_during_the_transfer_aborts_it_and_rolls_back(WorkflowClient client, WorkflowOptions options)
      throws Exception {
    CountDownLatch migrating = new CountDownLatch(1);
    AtomicBoolean aborted = new AtomicBoolean();
    when(migA.migrateLive(any())).thenAnswer(call -> {
      a.migratingOut();
      b.incoming();
      migrating.countDown();
      try {
        while (true) {
          Activity.getExecutionContext().heartbeat(progress(1));
          Thread.sleep(100);
        }
      } catch (ActivityCompletionException e) {
        aborted.set(true); // where the real monitor calls domain.abortJob()
        // libvirt gives the guest back to the source and drops the incoming domain.
        a.runs();
        b.set(DomainProbe.ABSENT, "", null, NodeState.DISK);
        throw e;
      }
    });

    MigrateVmWorkflow workflow = client.newWorkflowStub(MigrateVmWorkflow.class, options);
    WorkflowClient.start(workflow::migrate, request());
    assertThat(migrating.await(30, TimeUnit.SECONDS)).isTrue();
    WorkflowStub.fromTyped(workflow).cancel();

    assertThatThrownBy(() -> WorkflowStub.fromTyped(workflow).getResult(MigrateVmResult.class))
        .isInstanceOf(WorkflowFailedException.class)
        .hasCauseInstanceOf(CanceledFailure.class);
    assertThat(aborted).isTrue();
    // The abort goes to the source at once, as its own activity, beside the monitor's heartbeat.
    verify(migA).abortMigration(VM);
    verify(migB).removeCopy(new RemoveCopyRequest(VM, UUID, false));
    verify(migA, never()).removeCopy(any());
    assertThat(a.isRunning()).isTrue();
    assertThat(workflow.status().state()).isEqualTo(RunState.CANCELLED);
    assertThat(workflow.status().timeline()).last().extracting(e -> e.detail()).asString()
        .startsWith("web1 runs on lab-a (rolled back): cancelled");
  }

  @Test
  void force_complete_signal_reaches_the_source_agent(WorkflowClient client, WorkflowOptions options)
      throws Exception {
    CountDownLatch migrating = new CountDownLatch(1);
    CountDownLatch forced = new CountDownLatch(1);
    when(migA.migrateLive(any())).thenAnswer(call -> {
      migrating.countDown();
      while (!forced.await(100, TimeUnit.MILLISECONDS)) {
        Activity.getExecutionContext().heartbeat(progress(7));
      }
      a.left();
      b.runs();
      return new MigrationOutcome(5000, progress(8), true);
    });
    org.mockito.Mockito.doAnswer(call -> {
      forced.countDown();
      return null;
    }).when(migA).forceComplete(VM);

    MigrateVmWorkflow workflow = client.newWorkflowStub(MigrateVmWorkflow.class, options);
    WorkflowClient.start(workflow::migrate, request());
    assertThat(migrating.await(30, TimeUnit.SECONDS)).isTrue();
    workflow.forceComplete();

    MigrateVmResult result = WorkflowStub.fromTyped(workflow).getResult(MigrateVmResult.class);
    assertThat(result.forced()).isTrue();
    verify(migA, timeout(1000)).forceComplete(VM);
  }

  @Test
  void replays_a_recorded_history() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(RECORDED), "no recorded history yet");
    Replays.replay(
        WorkflowExecutionHistory.fromJson(Files.readString(RECORDED)), MigrateVmWorkflowImpl.class);
  }

  /**
   * Histories of real lab runs on a Temporal dev server (LabFaultIT, `temporal workflow show` of the
   * same runs gives the same JSON): a live move with the slot step whose orchestrator was killed
   * and restarted mid-transfer, and a warm move whose source agent was.
   */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {
      "migrate-vm-slots-live-lab-history.json", "migrate-vm-slots-warm-lab-history.json"})
  void replays_histories_recorded_in_the_lab(String file) throws Exception {
    Replays.replay(WorkflowExecutionHistory.fromJson(
        Files.readString(RECORDED.resolveSibling(file))), MigrateVmWorkflowImpl.class);
  }

  @Test
  void replays_a_recorded_history_of_the_overlapped_steps() throws Exception {
    String json = Files.readString(OVERLAPPED);
    assertThat(payloads(json)).contains("ask-while-queued").contains("overlap-check").contains("overlap-verify").contains("overlap-record")
        .contains("overlap-release");
    Replays.replay(WorkflowExecutionHistory.fromJson(json), MigrateVmWorkflowImpl.class);
  }

  /**
   * A live move with a pre-copy on the real lab that took issue 17's second round as well (getVersion
   * slot-request-local, release-when-moved, cleanup-answer), written by {@code novacron bench
   * migrate --sets=live --histories=DIR} (docs/bench/migrate.md, "Second round").
   */
  @Test
  void replays_a_recorded_history_of_the_early_releases() throws Exception {
    String json = Files.readString(RECORDED.resolveSibling("migrate-vm-early-release-live-lab-history.json"));
    assertThat(payloads(json)).contains("slot-request-local").contains("release-when-moved").contains("cleanup-answer");
    Replays.replay(WorkflowExecutionHistory.fromJson(json), MigrateVmWorkflowImpl.class);
  }

  /** The history's payloads decoded (the version markers' change ids among them are base64 in the JSON). */
  private static String payloads(String json) {
    return java.util.regex.Pattern.compile("\"data\": \"([A-Za-z0-9+/=]+)\"").matcher(json.replace("\\u003d", "=")).results()
        .map(m -> new String(java.util.Base64.getDecoder().decode(m.group(1)), java.nio.charset.StandardCharsets.UTF_8))
        .collect(java.util.stream.Collectors.joining("\n"));
  }

  private static MigrateVmRequest request() {
    return new MigrateVmRequest(VM, "lab-a", "lab-b", MigrationMode.LIVE,
        MigrationOptions.defaults()
            .withBandwidthMiBps(100)
            .withCompression(Compression.NONE)
            .withAutoConverge(false)
            .withPostCopy(false)
            .withMaxDowntimeMs(300)
            .withOnTimeout(TimeoutAction.ABORT));
  }

  private static MigrationProgress progress(long iteration) {
    return new MigrationProgress(900, 75_000_000, 0, 75_000_000, 0, iteration, 80.0, 0, false, false);
  }
}
