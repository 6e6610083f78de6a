package io.novacron.workflows.migrate;

import io.novacron.workflows.FailureTypes;
import io.novacron.workflows.run.FailureReason;
import io.novacron.workflows.run.RunState;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;

/**
 * How a move ends once {@link MoveSettler} has settled it: moved, the result (with a note when a
 * failure or a cancel came after the switch-over: the cancel came too late, the run succeeds);
 * anything else, a headline that says where the VM runs, and the run fails or ends cancelled with
 * it. Workflow code only.
 */
final class MoveEnding {
  private final Move move;
  /** The job's statistics, asked before the settlement ended ({@link #readJobEarly}); null: ask at the end. */
  private Promise<CompletedJob> early;

  MoveEnding(Move move) {
    this.move = move;
  }

  /** Asks the target for the completed job's statistics now, for {@link #job} to use later. */
  void readJobEarly(MigrationActivities reports) {
    early = Async.function(reports::completedJob, move.vm());
  }

  /**
   * @param cause the failure or cancellation that sent the move to the settlement; null when the
   *     transfer reported success
   * @param moved what the mode did; {@link Moved#UNKNOWN} when it did not finish
   */
  MigrateVmResult ended(Settled settled, TemporalFailure cause, Moved moved, MigrationActivities reports) {
    String vm = move.vm();
    boolean cancelled = cause != null && cancelled(cause);
    if (settled.outcome() == Settled.Outcome.MOVED) {
      return succeeded(moved, job(moved, reports),
          cause == null ? null : cancelled ? MoveHeadline.TOO_LATE : FailureReason.of(cause));
    }
    String headline = MoveHeadline.notMoved(vm, settled, cause == null ? null
        : cancelled ? "cancelled" : FailureReason.of(cause));
    move.run.finish(cancelled ? RunState.CANCELLED : RunState.FAILED, headline);
    if (cancelled) {
      throw new CanceledFailure(headline);
    }
    throw ApplicationFailure.newNonRetryableFailureWithCause(headline, failureType(cause), cause);
  }

  /**
   * Cold: no migration job, the guest was down for the whole move; warm: paused from the save to
   * the resume; the transfer engine counted the bytes of both. Live: libvirt's statistics.
   */
  CompletedJob job(Moved moved, MigrationActivities reports) {
    if (moved.offline()) {
      return new CompletedJob(moved.outcome().elapsedMs(), moved.bytesRaw(), moved.outcome().elapsedMs());
    }
    return move.mode() == MigrationMode.LIVE ? completedJob(reports) : new CompletedJob(-1, -1, -1);
  }

  /** The run's result and its record's last line: exactly one running copy, on the target. */
  MigrateVmResult succeeded(Moved moved, CompletedJob job, String note) {
    MigrationOutcome outcome = moved.outcome();
    MigrationProgress last = outcome.last();
    long bytes = job.processedBytes() >= 0 ? job.processedBytes() : last == null ? -1 : last.processedBytes();
    MigrateVmRequest request = move.request;
    MigrateVmResult result = new MigrateVmResult(move.vm(), request.sourceNode(), request.targetNode(),
        outcome.elapsedMs(), job.downtimeMs(), bytes, last == null ? 0 : last.iteration(),
        outcome.forced(), moved.bytesOnWire());
    move.run.finish(RunState.SUCCEEDED, MoveHeadline.moved(request.targetNode(), outcome.elapsedMs(),
        job.downtimeMs(), moved.offline() ? moved.bytesOnWire() : -1, moved.offline() ? moved.bytesRaw() : -1,
        moved.precopied() ? moved.bytesOnWire() : -1, moved.precopied() ? moved.bytesRaw() : -1, note, move.vm()));
    return result;
  }

  /** Statistics are a report, not a step: their absence must not undo a finished migration. */
  private CompletedJob completedJob(MigrationActivities target) {
    try {
      return early != null ? early.get() : target.completedJob(move.vm());
    } catch (ActivityFailure e) {
      Workflow.getLogger(MoveEnding.class).warn("no job statistics for {}: {}", move.vm(), FailureReason.of(e));
      return new CompletedJob(-1, -1, -1);
    }
  }

  /** The type of the failure that ended the move, for callers that match on it. */
  static String failureType(TemporalFailure cause) {
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof ApplicationFailure application) {
        return application.getType();
      }
    }
    return cause == null ? FailureTypes.DOMAIN_NOT_RUNNING : FailureTypes.MIGRATION_FAILED;
  }

  static boolean cancelled(Throwable failure) {
    return failure instanceof CanceledFailure || failure.getCause() instanceof CanceledFailure;
  }
}
