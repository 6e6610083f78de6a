package io.novacron.workflows.migrate;

import io.novacron.workflows.FailureTypes;
import io.novacron.workflows.host.DomainStatus;
import io.novacron.workflows.host.HostActivities;
import io.novacron.workflows.node.InventoryActivities;
import io.novacron.workflows.run.FailureReason;
import io.novacron.workflows.run.RunState;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.Workflow;

/**
 * How runs recorded before the settlement ended, kept so that their histories replay (the choice
 * is {@code getVersion("settle")}): verify with the agents' status, flatten, record the move and
 * delete the source's files on success; on failure the saga's compensations, unless the domain
 * had left the source. New runs never come here: that rollback could remove the only copy while
 * libvirt was still migrating (issue 13). Workflow code only.
 */
final class LegacyEnding {
  private final Move move;
  private final InventoryActivities inventory;

  LegacyEnding(Move move, InventoryActivities inventory) {
    this.move = move;
    this.inventory = inventory;
  }

  MigrateVmResult succeeded(Moved moved, MoveEnding ending) {
    String vm = move.vm();
    verifyMoved();
    move.run.setNode(move.request.targetNode());
    if (moved.precopied()) {
      flatten();
    }
    CompletedJob job = ending.job(moved, move.target.migration);
    // Added after the first release: runs whose history predates it replay without the call.
    if (Workflow.getVersion("record-move", Workflow.DEFAULT_VERSION, 1) >= 1) {
      try {
        inventory.moveVm(vm, move.request.targetNode(), move.prepared.diskPath());
      } catch (ActivityFailure e) {
        move.run.enter("record", "inventory not updated: " + FailureReason.of(e));
      }
    }
    move.run.enter("cleanup-source", move.request.sourceNode());
    if (move.mode() != MigrationMode.LIVE) {
      quietly(() -> move.source.host.undefineDomain(vm, move.described.uuid()), "source definition");
    }
    if (move.mode() == MigrationMode.WARM) {
      quietly(() -> move.source.migration.discardSavedState(vm), "saved state");
    }
    try {
      move.source.host.deleteDisk(vm);
    } catch (ActivityFailure e) {
      move.run.enter("cleanup-source", "left the source disk: " + FailureReason.of(e));
    }
    return ending.succeeded(moved, job, null);
  }

  /*
   * After a failed or cancelled transfer, libvirt leaves one of these:
   *  - the job failed or was aborted before switch-over: the domain runs (or is paused) on the
   *    source; the target has at most a half-filled disk and an inactive definition;
   *  - the switch-over happened but the activity failed afterwards (agent died, heartbeat lost):
   *    the domain is gone from the source and runs on the target.
   * These runs trusted the source alone, which is still migrating in the first case too.
   */
  void rollBack(TemporalFailure cause) {
    String vm = move.vm();
    boolean cancelled = MoveEnding.cancelled(cause);
    boolean transferStarted = move.mode() == MigrationMode.LIVE && move.stage != null && move.stage.handedOver();
    Workflow.newDetachedCancellationScope(() -> {
      if (transferStarted && leftSource(move)) {
        recordCopies();
        move.run.finish(cancelled ? RunState.CANCELLED : RunState.FAILED, "not rolled back: " + vm
            + " has left the source and runs only on the target; " + FailureReason.of(cause));
        return;
      }
      move.run.enter("rollback", FailureReason.of(cause));
      move.undo.compensate();
      recordCopies();
      move.run.finish(cancelled ? RunState.CANCELLED : RunState.FAILED, FailureReason.of(cause));
    }).run();
  }

  /** Whether the source no longer has the domain; unknown (agent unreachable) counts as no. */
  static boolean leftSource(Move move) {
    try {
      return "absent".equals(move.source.host.status(move.vm()).state());
    } catch (ActivityFailure e) {
      return false;
    }
  }

  private void verifyMoved() {
    DomainStatus target = move.target.host.status(move.vm());
    DomainStatus source = move.source.host.status(move.vm());
    if (!target.isRunning() || source.isRunning()) {
      throw ApplicationFailure.newNonRetryableFailure(
          move.vm() + " is " + source.state() + " on " + move.request.sourceNode() + " and "
              + target.state() + " on " + move.request.targetNode() + " after the transfer; expected it"
              + " to run on the target only", FailureTypes.DOMAIN_NOT_RUNNING);
    }
  }

  private void flatten() {
    move.run.enter("flatten", move.request.targetNode());
    try {
      move.target.commit.commitOverlay(move.vm());
    } catch (ActivityFailure e) {
      move.run.enter("flatten", "the overlay stays under " + move.vm() + ": " + FailureReason.of(e));
    }
  }

  private void recordCopies() {
    // Added after the first release: runs recorded before it ended without the check.
    if (Workflow.getVersion("rollback-copy-check", Workflow.DEFAULT_VERSION, 1) < 1) {
      return;
    }
    String onSource = stateOn(move.source.host);
    String onTarget = stateOn(move.target.host);
    move.run.enter("verify", RunningCopies.describe(move.vm(), move.request.sourceNode(), onSource,
        move.request.targetNode(), onTarget));
  }

  private String stateOn(HostActivities host) {
    try {
      DomainStatus status = host.status(move.vm());
      return status == null ? "unknown" : status.state();
    } catch (ActivityFailure e) {
      return "unknown (" + FailureReason.of(e) + ")";
    }
  }

  private void quietly(Runnable step, String what) {
    try {
      step.run();
    } catch (ActivityFailure e) {
      Workflow.getLogger(LegacyEnding.class).warn("{} of {} left: {}", what, move.vm(), FailureReason.of(e));
    }
  }
}
