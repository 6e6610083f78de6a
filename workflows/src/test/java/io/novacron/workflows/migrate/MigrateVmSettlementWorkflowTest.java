package io.novacron.workflows.migrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.atLeast;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.novacron.workflows.FailureTypes;
import io.novacron.workflows.host.DomainStatus;
import io.novacron.workflows.run.RunState;
import io.novacron.workflows.run.RunStatus;
import io.temporal.activity.Activity;
import io.temporal.client.ActivityCompletionException;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * How MigrateVm ends when the transfer's report is lost, late or wrong: every path of the
 * settlement (wait for libvirt, forward, back, recover, attention and its resolutions), with mocked
 * agents whose probes answer from {@link NodeState}. None of them may remove the only running copy.
 */
class MigrateVmSettlementWorkflowTest extends TwoHostMigrationTest {

  @BeforeEach
  void setUp(TestWorkflowEnvironment env, Worker worker) {
    startWorkers(env, worker);
    sourceDescribesTheRunningVm();
    when(hostB.status(VM)).thenReturn(new DomainStatus(VM, null, "absent", "qemu", null));
    when(migB.prepareTarget(any())).thenAnswer(call -> {
      b.set(DomainProbe.ABSENT, "", null, NodeState.DISK);
      return new MigrationTarget("/b/disks/web1.qcow2", "<domain/>", "qemu+tcp://10.77.0.2/system", null);
    });
    when(migB.completedJob(VM)).thenReturn(new CompletedJob(120, 75_000_000, 900));
    a.wire(migA, hostA);
    b.wire(migB, hostB);
  }

  @Test
  void a_monitor_whose_agent_died_is_retried_and_re_attaches_instead_of_rolling_back(
      WorkflowClient client, WorkflowOptions options) {
    AtomicInteger attempts = new AtomicInteger();
    when(migA.migrateLive(any())).thenAnswer(call -> {
      if (attempts.incrementAndGet() == 1) {
        // What Temporal reports after the agent's heartbeats stopped: a retryable failure.
        throw ApplicationFailure.newFailure("heartbeat timeout", "TimeoutFailure");
      }
      a.left();
      b.runs();
      return new MigrationOutcome(-1, null, false);
    });

    MigrateVmResult result = client.newWorkflowStub(MigrateVmWorkflow.class, options).migrate(request(null));

    assertThat(result.targetNode()).isEqualTo("lab-b");
    verify(migA, times(2)).migrateLive(any());
    verify(migB, never()).removeCopy(any());
    verify(migA).removeCopy(new RemoveCopyRequest(VM, UUID, false));
  }

  @Test
  void a_lost_monitor_while_libvirt_still_migrates_waits_for_the_job_and_never_touches_the_target(
      WorkflowClient client, WorkflowOptions options) {
    // The case: the source agent killed mid-transfer, the p2p job goes on in libvirtd and
    // completes on its own a few looks later.
    when(migA.migrateLive(any())).thenAnswer(call -> {
      a.migratingOut();
      b.incoming();
      throw ApplicationFailure.newNonRetryableFailure("activity Heartbeat timeout", "TimeoutFailure");
    });
    AtomicInteger looks = new AtomicInteger();
    when(migA.probe(VM)).thenAnswer(call -> {
      if (looks.incrementAndGet() == 3) {
        a.left();
        b.runs();
      }
      return a.probe();
    });

    MigrateVmWorkflow workflow = client.newWorkflowStub(MigrateVmWorkflow.class, options);
    MigrateVmResult result = workflow.migrate(request(null));

    assertThat(result.targetNode()).isEqualTo("lab-b");
    verify(migB, never()).removeCopy(any());
    verify(hostB, never()).undefineDomain(any(), any());
    verify(migA, never()).abortMigration(any());
    verify(inventory).moveVm(eq(VM), eq("lab-b"), any());
    verify(migA).removeCopy(new RemoveCopyRequest(VM, UUID, false));
    assertThat(b.isRunning()).isTrue();
    assertThat(workflow.status().state()).isEqualTo(RunState.SUCCEEDED);
    assertThat(workflow.status().timeline()).extracting(e -> e.detail())
        .anyMatch(d -> d != null && d.startsWith("libvirt still runs a job for web1"));
  }

  @Test
  void a_cancel_that_lands_after_the_switch_over_ends_the_run_succeeded_and_moved(
      WorkflowClient client, WorkflowOptions options) throws Exception {
    CountDownLatch migrating = new CountDownLatch(1);
    when(migA.migrateLive(any())).thenAnswer(call -> {
      a.migratingOut();
      b.incoming();
      migrating.countDown();
      try {
        while (true) {
          Activity.getExecutionContext().heartbeat(null);
          Thread.sleep(50);
        }
      } catch (ActivityCompletionException e) {
        // Too late: libvirt had switched over when the abort came.
        a.left();
        b.runs();
        throw e;
      }
    });
    when(migA.abortMigration(VM)).thenReturn("no outgoing migration of web1 runs on lab-a (absent)");

    MigrateVmWorkflow workflow = client.newWorkflowStub(MigrateVmWorkflow.class, options);
    WorkflowClient.start(workflow::migrate, request(null));
    assertThat(migrating.await(30, TimeUnit.SECONDS)).isTrue();
    WorkflowStub.fromTyped(workflow).cancel();

    // Temporal closes a run whose cancellation was requested as cancelled, whatever it returns
    // (the Java SDK's rule); the run record, which the API and dashboard show, says what happened.
    assertThatThrownBy(() -> WorkflowStub.fromTyped(workflow).getResult(MigrateVmResult.class))
        .isInstanceOf(WorkflowFailedException.class);
    verify(migA).abortMigration(VM);
    verify(inventory).moveVm(eq(VM), eq("lab-b"), any());
    verify(migA).removeCopy(new RemoveCopyRequest(VM, UUID, false));
    verify(migB, never()).removeCopy(any());
    assertMovedDespiteTheCancel(workflow.status());
  }

  @Test
  void a_source_that_does_not_answer_holds_the_run_in_attention_until_it_does(
      WorkflowClient client, WorkflowOptions options) throws Exception {
    when(migA.migrateLive(any())).thenAnswer(call -> {
      a.left();
      b.runs();
      throw ApplicationFailure.newNonRetryableFailure("activity Heartbeat timeout", "TimeoutFailure");
    });
    when(migA.probe(VM)).thenThrow(ApplicationFailure.newNonRetryableFailure(
        "Failed to connect socket to '/var/lib/novacron/lab/a/run/libvirt/libvirt-sock'", "LibvirtException"));

    MigrateVmWorkflow workflow = client.newWorkflowStub(MigrateVmWorkflow.class, options);
    WorkflowClient.start(workflow::migrate, request(null));
    RunStatus waiting = awaitState(workflow, RunState.ATTENTION);
    assertThat(waiting.timeline()).last().extracting(e -> e.detail()).asString()
        .startsWith("web1 runs on lab-b; cannot tell where web1 runs")
        .contains("lab-a unknown (Failed to connect socket");
    // Keeping the copy nobody can see is refused; nothing was removed while waiting.
    assertThatThrownBy(() -> workflow.resolve(Resolution.KEEP_SOURCE))
        .isInstanceOf(WorkflowUpdateException.class)
        .rootCause().hasMessageContaining("cannot keep the copy on lab-a");
    verify(migA, never()).removeCopy(any());
    verify(migB, never()).removeCopy(any());

    // The source's libvirtd is back: an operator asks to look again.
    org.mockito.Mockito.doAnswer(call -> a.probe()).when(migA).probe(VM);
    assertThat(workflow.resolve(Resolution.RETRY)).isEqualTo("looking at both nodes again");

    MigrateVmResult result = WorkflowStub.fromTyped(workflow).getResult(MigrateVmResult.class);
    assertThat(result.targetNode()).isEqualTo("lab-b");
    verify(migA).removeCopy(new RemoveCopyRequest(VM, UUID, false));
    verify(migB, never()).removeCopy(any());
  }

  @Test
  void two_running_copies_wait_and_an_operator_keeps_one(WorkflowClient client, WorkflowOptions options)
      throws Exception {
    when(migA.migrateLive(any())).thenAnswer(call -> {
      b.runs(); // something started the target's copy while the source's still runs
      throw ApplicationFailure.newNonRetryableFailure("libvirt failed the migration: Finish failed",
          FailureTypes.MIGRATION_FAILED);
    });

    MigrateVmWorkflow workflow = client.newWorkflowStub(MigrateVmWorkflow.class, options);
    WorkflowClient.start(workflow::migrate, request(null));
    RunStatus waiting = awaitState(workflow, RunState.ATTENTION);
    assertThat(waiting.timeline()).last().extracting(e -> e.detail()).asString()
        .startsWith("two running copies of web1");
    verify(migA, never()).removeCopy(any());
    verify(migB, never()).removeCopy(any());

    assertThat(workflow.resolve(Resolution.KEEP_TARGET)).contains("keeping web1 on lab-b");
    MigrateVmResult result = WorkflowStub.fromTyped(workflow).getResult(MigrateVmResult.class);

    assertThat(result.targetNode()).isEqualTo("lab-b");
    verify(migA).removeCopy(new RemoveCopyRequest(VM, UUID, true));
    verify(migB, never()).removeCopy(any());
    verify(inventory).moveVm(eq(VM), eq("lab-b"), any());
  }

  @Test
  void no_copy_anywhere_is_named_in_the_headline_and_abandoning_removes_nothing(
      WorkflowClient client, WorkflowOptions options) throws Exception {
    when(migA.migrateLive(any())).thenAnswer(call -> {
      a.cleared();
      b.cleared();
      throw ApplicationFailure.newNonRetryableFailure("activity Heartbeat timeout", "TimeoutFailure");
    });

    MigrateVmWorkflow workflow = client.newWorkflowStub(MigrateVmWorkflow.class, options);
    WorkflowClient.start(workflow::migrate, request(null));
    RunStatus waiting = awaitState(workflow, RunState.ATTENTION);
    assertThat(waiting.timeline()).last().extracting(e -> e.detail())
        .isEqualTo("web1 has no running copy: lab-a absent, lab-b absent");

    workflow.resolve(Resolution.ABANDON);
    assertThatThrownBy(() -> WorkflowStub.fromTyped(workflow).getResult(MigrateVmResult.class))
        .isInstanceOf(WorkflowFailedException.class)
        .rootCause().hasMessageContaining("Heartbeat timeout");
    assertThat(workflow.status().state()).isEqualTo(RunState.FAILED);
    assertThat(workflow.status().timeline()).last().extracting(e -> e.detail()).asString()
        .startsWith("web1 has no running copy: lab-a absent, lab-b absent; abandoned by an operator");
    verify(migA, never()).removeCopy(any());
    verify(migB, never()).removeCopy(any());
    verify(migA, never()).recoverSource(any());
  }

  @Test
  void a_resolution_is_refused_while_the_run_does_not_wait_for_one(WorkflowClient client,
      WorkflowOptions options) throws Exception {
    CountDownLatch migrating = new CountDownLatch(1);
    CountDownLatch finish = new CountDownLatch(1);
    when(migA.migrateLive(any())).thenAnswer(call -> {
      migrating.countDown();
      while (!finish.await(50, TimeUnit.MILLISECONDS)) {
        Activity.getExecutionContext().heartbeat(null);
      }
      a.left();
      b.runs();
      return new MigrationOutcome(100, null, false);
    });

    MigrateVmWorkflow workflow = client.newWorkflowStub(MigrateVmWorkflow.class, options);
    WorkflowClient.start(workflow::migrate, request(null));
    assertThat(migrating.await(30, TimeUnit.SECONDS)).isTrue();
    assertThatThrownBy(() -> workflow.resolve(Resolution.ABANDON))
        .isInstanceOf(WorkflowUpdateException.class)
        .rootCause().hasMessageContaining("does not wait for an operator");
    finish.countDown();
    assertThat(WorkflowStub.fromTyped(workflow).getResult(MigrateVmResult.class).targetNode()).isEqualTo("lab-b");
  }

  @Test
  void a_removal_that_keeps_failing_goes_to_an_operator_instead_of_spinning(WorkflowClient client,
      WorkflowOptions options) throws Exception {
    when(migA.migrateLive(any())).thenThrow(ApplicationFailure.newNonRetryableFailure(
        "libvirt failed the migration: connection reset", FailureTypes.MIGRATION_FAILED));
    when(migB.removeCopy(any())).thenThrow(ApplicationFailure.newNonRetryableFailure(
        "cannot delete volume web1.qcow2: Permission denied", "LibvirtException"));

    MigrateVmWorkflow workflow = client.newWorkflowStub(MigrateVmWorkflow.class, options);
    WorkflowClient.start(workflow::migrate, request(null));
    RunStatus waiting = awaitState(workflow, RunState.ATTENTION);
    assertThat(waiting.timeline()).last().extracting(e -> e.detail()).asString()
        .contains("the step failed 3 times: cannot delete volume web1.qcow2: Permission denied");
    verify(migB, times(3)).removeCopy(any());

    workflow.resolve(Resolution.ABANDON);
    assertThatThrownBy(() -> WorkflowStub.fromTyped(workflow).getResult(MigrateVmResult.class))
        .isInstanceOf(WorkflowFailedException.class);
    assertThat(a.isRunning()).isTrue();
  }

  @Test
  void a_job_that_runs_past_its_patience_without_a_monitor_is_aborted_then_handed_to_an_operator(
      TestWorkflowEnvironment env, WorkflowClient client, WorkflowOptions options) throws Exception {
    when(migA.migrateLive(any())).thenAnswer(call -> {
      a.migratingOut();
      b.incoming();
      throw ApplicationFailure.newNonRetryableFailure("activity Heartbeat timeout", "TimeoutFailure");
    });
    when(migA.abortMigration(VM)).thenReturn("aborted the migration of web1");

    MigrateVmWorkflow workflow = client.newWorkflowStub(MigrateVmWorkflow.class, options);
    // The shortest completion timeout (30 s): patience 2 x 30 s + slack.
    WorkflowClient.start(workflow::migrate, request(1));
    // The test server skips time only while the test waits on it: 12 min of looks, in steps.
    for (int i = 0; i < 40 && !isIn(workflow, RunState.ATTENTION); i++) {
      env.sleep(java.time.Duration.ofSeconds(30));
    }
    awaitState(workflow, RunState.ATTENTION, 30);

    verify(migA, times(1)).abortMigration(VM);
    verify(migA, atLeast(10)).probe(VM);
    verify(migB, never()).removeCopy(any());
    verify(migA, never()).removeCopy(any());
    assertThat(workflow.status().timeline()).last().extracting(e -> e.detail()).asString()
        .contains("and an abort did not end it");
  }

  private static RunStatus awaitState(MigrateVmWorkflow workflow, RunState state) throws Exception {
    return awaitState(workflow, state, 60);
  }

  private static boolean isIn(MigrateVmWorkflow workflow, RunState state) {
    try {
      return workflow.status() != null && workflow.status().state() == state;
    } catch (RuntimeException notYet) {
      return false;
    }
  }

  private static RunStatus awaitState(MigrateVmWorkflow workflow, RunState state, int seconds) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (true) {
      RunStatus status = null;
      try {
        status = workflow.status();
      } catch (RuntimeException notYet) {
        // the run has not started yet
      }
      if (status != null && status.state() == state) {
        return status;
      }
      assertThat(System.nanoTime()).as("the run reaches " + state).isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  private static MigrateVmRequest request(Integer completionSecondsPerGiB) {
    return new MigrateVmRequest(VM, "lab-a", "lab-b", MigrationMode.LIVE,
        MigrationOptions.defaults()
            .withCompletionTimeoutSecondsPerGiB(completionSecondsPerGiB)
            .withPrecopyDisk(false));
  }
}
