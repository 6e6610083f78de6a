package io.novacron.workflows.migrate;

import io.novacron.workflows.StepOptions;
import io.novacron.workflows.TaskQueues;
import io.novacron.workflows.host.HostActivities;
import io.novacron.workflows.transfer.TransferActivities;
import io.temporal.activity.ActivityCancellationType;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.Map;

/**
 * The activity stubs a migration uses on one node, each pinned to the node's queue with a short
 * schedule-to-start timeout, so that a node whose agent is down fails the step fast and the
 * workflow decides what to do. A cancelled step that changes the VM is waited for
 * ({@link StepOptions#vmStepCancellation}); the looks and the transfer's sender are not: they only
 * read, and the receive a sender writes into is closed before anything is settled. Workflow code
 * only.
 */
final class NodeSteps {
  /** A look at a node must answer quickly; a node that cannot is unknown, not waited for. */
  static final Duration LOOK_SCHEDULE_TO_START = Duration.ofSeconds(10);

  final String node;
  /** Short libvirt and file steps (2 min; recoverSource 10 min). */
  final MigrationActivities migration;
  /** {@link MigrationActivities#probe}: quick, two attempts. */
  final MigrationActivities look;
  /** {@link MigrationActivities#commitOverlay}, which heartbeats while the block commit runs. */
  final MigrationActivities commit;
  final HostActivities host;
  /** {@link HostActivities#verifyRunning}: waits for the guest's readiness line, heartbeating. */
  final HostActivities verify;

  private final ActivityCancellationType cancellation;

  NodeSteps(String node) {
    this.node = node;
    this.cancellation = StepOptions.vmStepCancellation();
    // A rollback's recoverSource may restore a saved guest: it may take as long as the save.
    this.migration = Workflow.newActivityStub(MigrationActivities.class, options(node, Duration.ofMinutes(2)),
        Map.of("Migration.RecoverSource", options(node, Duration.ofMinutes(10))));
    this.look = Workflow.newActivityStub(MigrationActivities.class, ActivityOptions.newBuilder()
        .setTaskQueue(TaskQueues.host(node))
        .setScheduleToStartTimeout(LOOK_SCHEDULE_TO_START)
        .setStartToCloseTimeout(Duration.ofSeconds(20))
        .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(2).build())
        .build());
    this.commit = Workflow.newActivityStub(MigrationActivities.class, ActivityOptions.newBuilder()
        .setTaskQueue(TaskQueues.host(node))
        .setScheduleToStartTimeout(StepOptions.HOST_SCHEDULE_TO_START)
        .setStartToCloseTimeout(Duration.ofMinutes(35))
        .setHeartbeatTimeout(Duration.ofSeconds(30))
        .setRetryOptions(StepOptions.RETRY)
        .setCancellationType(cancellation)
        .build());
    this.host = Workflow.newActivityStub(HostActivities.class, options(node, Duration.ofMinutes(2)));
    this.verify = Workflow.newActivityStub(HostActivities.class, ActivityOptions.newBuilder()
        .setTaskQueue(TaskQueues.host(node))
        .setScheduleToStartTimeout(StepOptions.HOST_SCHEDULE_TO_START)
        .setStartToCloseTimeout(Duration.ofMinutes(5))
        .setHeartbeatTimeout(Duration.ofSeconds(30))
        .setRetryOptions(StepOptions.RETRY)
        .build());
  }

  /** Migration steps that may take longer than the usual two minutes (a save, a shutdown's grace). */
  MigrationActivities migration(Duration startToClose) {
    return Workflow.newActivityStub(MigrationActivities.class, options(node, startToClose));
  }

  /** The transfer engine's receiving side here (open and close a receive). */
  TransferActivities receiver() {
    return Workflow.newActivityStub(TransferActivities.class, options(node, Duration.ofMinutes(10)));
  }

  /** The transfer engine's sending side here: long, heartbeating, resumed on every retry. */
  TransferActivities sender() {
    return Workflow.newActivityStub(TransferActivities.class, ActivityOptions.newBuilder()
        .setTaskQueue(TaskQueues.host(node))
        .setScheduleToStartTimeout(StepOptions.HOST_SCHEDULE_TO_START)
        .setStartToCloseTimeout(Duration.ofMinutes(30))
        .setHeartbeatTimeout(Duration.ofSeconds(30))
        .setRetryOptions(StepOptions.RETRY)
        .build());
  }

  /**
   * A node step: every host agent step heartbeats beside its work ({@code ActivitySteps}), so a
   * killed agent fails the attempt after {@link StepOptions#GUEST_STEP_HEARTBEAT} instead of
   * {@code startToClose}. A move runs many of them while the guest is down (define on the target,
   * a receive closed, an undo before the source is recovered), and each would otherwise leave it
   * without a running copy for minutes.
   */
  private ActivityOptions options(String node, Duration startToClose) {
    return ActivityOptions.newBuilder()
        .setTaskQueue(TaskQueues.host(node))
        .setScheduleToStartTimeout(StepOptions.HOST_SCHEDULE_TO_START)
        .setStartToCloseTimeout(startToClose)
        .setHeartbeatTimeout(StepOptions.GUEST_STEP_HEARTBEAT)
        .setRetryOptions(StepOptions.RETRY)
        .setCancellationType(cancellation)
        .build();
  }
}
