package io.novacron.workflows.fleet;

import io.novacron.workflows.FailureTypes;
import io.novacron.workflows.FieldError;
import io.novacron.workflows.run.FailureReason;
import io.novacron.workflows.run.RunState;
import io.novacron.workflows.run.RunTracker;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Workflow;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What a drain and a rebalance share around their {@link MoveBatch}: the run record, refusing a bad
 * request, and ending in the state that says what happened. Workflow code.
 */
final class FleetRun {
  private final RunTracker run;
  private final CancellationScope root = CancellationScope.current();
  private MoveBatch batch;

  FleetRun(String type, String subject, Object request) {
    this.run = new RunTracker(type, subject, RunTracker.json(request));
  }

  RunTracker tracker() {
    return run;
  }

  /** Every VM of the run now; empty before the plan. */
  List<FleetItem> items() {
    return batch == null ? List.of() : batch.items();
  }

  /** Ends the run FAILED with InvalidSpec when there are errors. */
  void refuse(List<FieldError> errors) {
    if (!errors.isEmpty()) {
      String message = errors.stream().map(FieldError::toString).collect(Collectors.joining("; "));
      run.finish(RunState.FAILED, message);
      throw ApplicationFailure.newNonRetryableFailure(message, FailureTypes.INVALID_SPEC);
    }
  }

  /** A dry run's end: the plan, nothing changed. */
  FleetRunResult planned(List<PlannedMove> moves, List<Stay> stays, String summary) {
    run.finish(RunState.SUCCEEDED, "dry run: " + summary);
    return new FleetRunResult(true, moves, stays, List.of(), summary);
  }

  /** Records the plan and runs its moves; returns once every started move ended. */
  void move(List<PlannedMove> moves, List<Stay> stays, String source, int parallel,
      io.novacron.workflows.migrate.MigrationOptions options) {
    batch = new MoveBatch(parallel, options);
    batch.plan(moves, stays, source);
    run.enter("move", moves.size() + (moves.size() == 1 ? " VM, " : " VMs, ") + parallel + " at a time");
    batch.run(moves);
  }

  /**
   * Ends the run after its moves: CANCELLED when it was cancelled, FAILED with DrainIncomplete when
   * {@code stayedFails} and a VM stayed, SUCCEEDED otherwise. The record is written in a detached
   * scope: a cancelled run's own scope can call nothing.
   */
  FleetRunResult ended(List<PlannedMove> moves, List<Stay> stays, String done, boolean stayedFails) {
    List<FleetItem> items = items();
    List<FleetItem> stayed = items.stream().filter(i -> FleetItem.STAYED.equals(i.state())).toList();
    long moved = items.stream().filter(i -> FleetItem.MOVED.equals(i.state())).count();
    String summary = moved + " of " + items.size() + " VMs moved" + (stayed.isEmpty() ? "; " + done
        : "; stayed: " + stayed.stream().map(i -> i.vm() + " (" + i.detail() + ")").collect(Collectors.joining("; ")));
    boolean cancelled = root.isCancelRequested();
    RunState state = cancelled ? RunState.CANCELLED
        : stayedFails && !stayed.isEmpty() ? RunState.FAILED : RunState.SUCCEEDED;
    Workflow.newDetachedCancellationScope(() -> run.finish(state, summary)).run();
    if (state == RunState.CANCELLED) {
      throw new CanceledFailure(summary);
    }
    if (state == RunState.FAILED) {
      throw ApplicationFailure.newNonRetryableFailure(summary, FailureTypes.DRAIN_INCOMPLETE);
    }
    return new FleetRunResult(false, moves, stays, items, summary);
  }

  /** Ends a run whose step before the moves failed or was cancelled; returns what to throw. */
  TemporalFailure failed(TemporalFailure cause) {
    boolean cancelled = cause instanceof CanceledFailure || cause.getCause() instanceof CanceledFailure
        || root.isCancelRequested();
    String reason = FailureReason.of(cause);
    Workflow.newDetachedCancellationScope(() -> {
      try {
        run.finish(cancelled ? RunState.CANCELLED : RunState.FAILED, reason);
      } catch (ActivityFailure e) {
        Workflow.getLogger(FleetRun.class).warn("run record not written: {}", FailureReason.of(e));
      }
    }).run();
    return cause;
  }
}
