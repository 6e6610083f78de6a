package io.novacron.workflows.migrate;

import io.novacron.workflows.StepOptions;
import io.novacron.workflows.TaskQueues;
import io.novacron.workflows.run.FailureReason;
import io.novacron.workflows.transfer.FileMover;
import io.temporal.activity.ActivityCancellationType;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.List;

/**
 * Live mode: the guest keeps running. A disk that is not shared is first pre-copied with the
 * transfer engine under an overlay, then libvirt migrates memory and the overlay peer to peer
 * while a monitor activity on the source samples the job and applies the policy; a force-complete
 * signal is forwarded to the source as its own activity, a cancellation aborts the job at once.
 */
final class LiveMove {
  /** The monitor heartbeats every ~0.5 s; a few missed ones mean the agent is gone. */
  static final Duration MONITOR_HEARTBEAT = Duration.ofSeconds(10);
  /** Attempts of the monitor: the first starts the migration, later ones re-attach to it. */
  static final int MONITOR_ATTEMPTS = 10;
  /** Slack on top of the policy's completion timeout before Temporal itself gives up. */
  static final Duration TRANSFER_SLACK = Duration.ofMinutes(5);

  /** Force-complete requests, from the workflow's signal, honoured only during the transfer. */
  static final class ForceRequests {
    private boolean inTransfer;
    private boolean requested;

    void request() {
      if (inTransfer) {
        requested = true;
      }
    }
  }

  private final Move move;
  private final ForceRequests force;

  LiveMove(Move move, ForceRequests force) {
    this.move = move;
    this.force = force;
  }

  /** @param precopy pre-copy the disk first (the target answered with an overlay path) */
  Moved run(boolean precopy) {
    FileMover.Moved precopied = precopy ? precopyDisk() : null;
    MigrationSource source = move.described;
    move.run.enter("transfer", source.memoryBytes() + " B memory" + (precopied != null
        ? " + the disk's overlay" : " + " + source.diskCapacityBytes() + " B disk"));
    move.undo.addCompensation(move.source.migration::recoverSource, move.vm());
    move.stage = move.stage.handOver();
    MigrationOutcome outcome;
    try {
      outcome = transfer(precopied != null);
    } catch (ActivityFailure e) {
      if (MigrateVmWorkflowImpl.settles() || !LegacyEnding.leftSource(move)) {
        throw e; // settled from both nodes' state
      }
      // Switch-over happened, the report of it got lost: verify decides.
      move.run.enter("transfer", "monitor failed after switch-over: " + FailureReason.of(e));
      outcome = new MigrationOutcome(-1, null, false);
    }
    return new Moved(outcome, false, precopied == null ? -1 : precopied.bytesRaw(),
        precopied == null ? -1 : precopied.bytesOnWire());
  }

  /**
   * The guest's writes go to an overlay from now on, the disk below it streams to the target
   * while the guest runs, and the target stacks an empty overlay on the copy, so that libvirt then
   * mirrors only what the guest wrote meanwhile. Undone on the source by merging the overlay back.
   */
  private FileMover.Moved precopyDisk() {
    String vm = move.vm();
    move.run.enter("precopy-disk", move.request.sourceNode() + " -> " + move.request.targetNode()
        + ", codec " + move.options.transferCodec());
    // Registered first: a freeze that timed out may have put the overlay on.
    move.undo.addCompensation(move.source.commit::commitOverlay, vm);
    move.stage = move.stage.frozen();
    FrozenDisk frozen = move.source.migration.freezeDisk(vm);
    FileMover.Moved streamed = move.stream(List.of(
        new Move.File("disk", frozen.basePath(), move.prepared.diskPath(), true)));
    move.target.migration.stackOverlay(vm);
    move.run.enter("precopy-disk", streamed.bytesRaw() + " B pre-copied with " + streamed.bytesOnWire()
        + " B on the wire; the guest's writes since are left to mirror");
    return streamed;
  }

  private MigrationOutcome transfer(boolean incremental) {
    String vm = move.vm();
    MigrationActivities monitor = monitor(MigrateVmWorkflowImpl.patience(move.described, move.options));
    MigrationActivities forcer = move.source.migration(Duration.ofSeconds(30));
    force.inTransfer = true;
    try {
      Promise<MigrationOutcome> done = Async.function(monitor::migrateLive, new LiveMigrationRequest(
          vm, move.prepared.migrationUri(), move.prepared.destXml(), true, move.options, incremental));
      boolean forced = false;
      while (true) {
        try {
          Workflow.await(() -> done.isCompleted() || force.requested);
        } catch (CanceledFailure cancelled) {
          // The await gives up at once, the activity does not: rollback must wait until the agent
          // has aborted the libvirt job, or it would undo the target under a running migration.
          // The abort itself goes as its own activity at once: the monitor hears of the
          // cancellation only with its next heartbeat's answer.
          Workflow.newDetachedCancellationScope(() -> {
            if (MigrateVmWorkflowImpl.settles()) {
              move.run.enter("transfer", "cancel requested: " + abortNow());
            }
            awaitQuietly(done);
          }).run();
          throw cancelled;
        }
        if (done.isCompleted()) {
          return done.get();
        }
        if (force.requested && !forced) {
          forced = true;
          move.run.enter("transfer", "force-complete requested");
          forcer.forceComplete(vm);
        }
        force.requested = false;
      }
    } finally {
      force.inTransfer = false;
    }
  }

  /** The monitor: heartbeating, waited for when cancelled, retried only to re-attach. */
  private MigrationActivities monitor(Duration limit) {
    return Workflow.newActivityStub(MigrationActivities.class, ActivityOptions.newBuilder()
        .setTaskQueue(TaskQueues.host(move.request.sourceNode()))
        .setScheduleToStartTimeout(StepOptions.HOST_SCHEDULE_TO_START)
        .setStartToCloseTimeout(limit)
        .setHeartbeatTimeout(MONITOR_HEARTBEAT)
        // Rollback must not start before the agent has aborted the libvirt job.
        .setCancellationType(ActivityCancellationType.WAIT_CANCELLATION_COMPLETED)
        // A retry never starts a second migration: it re-attaches to the job libvirt runs (a
        // peer-to-peer job goes on without the agent) or reports how it ended. So a heartbeat
        // lost with a dead agent is retried on the restarted one; libvirt's own failures are
        // non-retryable and settled from both nodes.
        .setRetryOptions(RetryOptions.newBuilder()
            .setInitialInterval(Duration.ofSeconds(1))
            .setMaximumInterval(Duration.ofSeconds(5))
            .setMaximumAttempts(MONITOR_ATTEMPTS)
            .build())
        .build());
  }

  /** Asks the source's agent to abort the migration job now; a dead agent costs a few seconds. */
  private String abortNow() {
    MigrationActivities abort = Workflow.newActivityStub(MigrationActivities.class, ActivityOptions.newBuilder()
        .setTaskQueue(TaskQueues.host(move.request.sourceNode()))
        .setScheduleToStartTimeout(Duration.ofSeconds(5))
        .setStartToCloseTimeout(Duration.ofSeconds(15))
        .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
        .build());
    try {
      return abort.abortMigration(move.vm());
    } catch (ActivityFailure e) {
      return "the abort did not reach " + move.request.sourceNode() + ": " + FailureReason.of(e);
    }
  }

  private static void awaitQuietly(Promise<?> promise) {
    try {
      promise.get();
    } catch (RuntimeException ignored) {
      // Only waiting for it to end: its cancellation or failure is the expected outcome.
    }
  }
}
