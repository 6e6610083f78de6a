package io.novacron.workflows.migrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.novacron.workflows.run.RunState;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.InOrder;

/**
 * A cancel that arrives while an agent is in the middle of a step that changes the guest (a start,
 * a shutdown, a restore): the run must wait for that step to end before it looks at the copies or
 * undoes anything, so that what it decides on is the step's result and not a state the step is
 * about to change. The chaos matrix found the first of these on real hosts: a cold move cancelled
 * while the target started the guest saw it "paused (starting-up)", started the source again, and
 * two copies ran. Each step here blocks until the test lets it finish, long after the cancel; none
 * heartbeats, as none of the real ones does.
 */
class MigrateVmCancelRaceWorkflowTest extends TwoHostMigrationTest {
  /** How long a step keeps running after the cancel: many settlement looks' worth. */
  private static final long STEP_OUTLIVES_CANCEL_MS = 1_500;

  private final CountDownLatch begun = new CountDownLatch(1);
  private final CountDownLatch release = new CountDownLatch(1);
  private volatile boolean inFlight;
  /** Removals, starts and recoveries that were called while the blocked step still ran. */
  private final List<String> racing = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp(TestWorkflowEnvironment env, Worker worker) {
    startWorkers(env, worker);
    sourceDescribesTheRunningVm();
    agentsMoveFilesWithTheTransferEngine();
    when(hostB.verifyRunning(VM)).thenReturn(status("running"));
    // Whatever changes a copy records whether the blocked step was still running at that moment.
    when(migA.recoverSource(VM)).thenAnswer(call -> {
      noteRace("recoverSource on lab-a");
      a.set("running", "unpaused", null, a.files());
      return status("running");
    });
    when(migA.removeCopy(any())).thenAnswer(call -> {
      noteRace("removeCopy on lab-a");
      return a.cleared().probe();
    });
    when(migB.removeCopy(any())).thenAnswer(call -> {
      noteRace("removeCopy on lab-b");
      return b.cleared().probe();
    });
  }

  @Test
  void a_cold_move_cancelled_while_the_target_starts_the_guest_keeps_that_copy_and_never_starts_the_source(
      WorkflowClient client, WorkflowOptions options) throws Exception {
    when(hostB.startDomain(VM)).thenAnswer(call -> blocking(
        () -> b.set("paused", "starting-up", null, NodeState.DISK),
        () -> b.runs(), status("running")));

    MigrateVmWorkflow workflow = cancelInFlight(client, options, cold());

    assertThat(racing).isEmpty();
    assertExactlyOneRunningCopy();
    // The guest came up on the target before the cancel could stop it: the move is finished, and
    // the run says the cancel came too late instead of pretending it was undone.
    assertThat(b.isRunning()).isTrue();
    verify(migA, never()).recoverSource(VM);
    verify(migB, never()).removeCopy(any());
    assertMovedDespiteTheCancel(workflow.status());
  }

  @Test
  void a_cold_move_cancelled_while_the_source_shuts_down_starts_it_again_once_it_is_off(
      WorkflowClient client, WorkflowOptions options) throws Exception {
    when(migA.shutdownForMove(VM, MigrationPolicy.DEFAULT_SHUTDOWN_SECONDS)).thenAnswer(call -> blocking(
        () -> { }, () -> a.shutOff(), status("shutoff")));

    MigrateVmWorkflow workflow = cancelInFlight(client, options, cold());

    assertThat(racing).isEmpty();
    assertExactlyOneRunningCopy();
    // Seen "running" while it shut down, the source would have been taken for settled and left
    // off once the shutdown ended: it must be started again after the shutdown, not before.
    InOrder order = inOrder(migA, migB);
    order.verify(migA).shutdownForMove(VM, MigrationPolicy.DEFAULT_SHUTDOWN_SECONDS);
    order.verify(migA).recoverSource(VM);
    assertThat(a.isRunning()).isTrue();
    assertThat(b.probe().hasTraces()).isFalse();
    verify(migB, never()).defineIncoming(any(), any(), any());
    verify(migA, never()).removeCopy(any());
    assertThat(workflow.status().state()).isEqualTo(RunState.CANCELLED);
  }

  @Test
  void a_warm_move_cancelled_while_the_target_restores_removes_that_copy_only_after_the_restore(
      WorkflowClient client, WorkflowOptions options) throws Exception {
    when(migB.restoreIncoming(any())).thenAnswer(call -> blocking(
        () -> b.set("paused", "starting-up", null, NodeState.DISK),
        () -> b.set("paused", "user", null, NodeState.DISK), status("paused")));

    MigrateVmWorkflow workflow = cancelInFlight(client, options, warm("lz4"));

    assertThat(racing).isEmpty();
    assertExactlyOneRunningCopy();
    // Restored paused and never resumed: the saved source is whole, so it is the one brought back.
    assertThat(a.isRunning()).isTrue();
    verify(migB, never()).resume(VM);
    verify(migB).removeCopy(new RemoveCopyRequest(VM, UUID, false));
    verify(migA, never()).removeCopy(any());
    assertThat(workflow.status().state()).isEqualTo(RunState.CANCELLED);
  }

  /**
   * Starts the move, cancels it once the blocked step has begun, lets the step run on for a while
   * and then finish, and waits for the run's end (Temporal closes a cancelled run as failed,
   * whatever it returned).
   */
  private MigrateVmWorkflow cancelInFlight(WorkflowClient client, WorkflowOptions options,
      MigrateVmRequest request) throws Exception {
    MigrateVmWorkflow workflow = client.newWorkflowStub(MigrateVmWorkflow.class, options);
    WorkflowClient.start(workflow::migrate, request);
    assertThat(begun.await(60, TimeUnit.SECONDS)).as("the step began").isTrue();
    WorkflowStub.fromTyped(workflow).cancel();
    Thread.sleep(STEP_OUTLIVES_CANCEL_MS);
    assertThat(racing).as("nothing changed a copy while the cancelled step still ran").isEmpty();
    release.countDown();
    assertThatThrownBy(() -> WorkflowStub.fromTyped(workflow).getResult(60, TimeUnit.SECONDS,
        MigrateVmResult.class)).isInstanceOf(WorkflowFailedException.class);
    return workflow;
  }

  /** A step that shows {@code during} at once, blocks until released, then shows {@code after}. */
  private <T> T blocking(Runnable during, Runnable after, T result) throws InterruptedException {
    during.run();
    inFlight = true;
    begun.countDown();
    try {
      if (!release.await(60, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the test never released the step");
      }
      after.run();
      return result;
    } finally {
      inFlight = false;
    }
  }

  private void noteRace(String call) {
    if (inFlight) {
      racing.add(call);
    }
  }

  private void assertExactlyOneRunningCopy() {
    assertThat(List.of(a.isRunning(), b.isRunning())).as("running on lab-a, on lab-b")
        .containsExactlyInAnyOrder(true, false);
  }
}
