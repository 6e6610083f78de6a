package io.novacron.workflows.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.temporal.activity.LocalActivityOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Saga;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Workflow-side helper that keeps a run's phase timeline for queries and mirrors every change into
 * the run record. Only for use inside workflow code: it reads workflow time and calls local
 * activities.
 */
public final class RunTracker {
  private final RunRecordActivities records =
      Workflow.newLocalActivityStub(
          RunRecordActivities.class,
          LocalActivityOptions.newBuilder()
              .setStartToCloseTimeout(Duration.ofSeconds(10))
              .setScheduleToCloseTimeout(Duration.ofMinutes(10))
              .build());

  private static final ObjectMapper JSON = new ObjectMapper();

  private final String runId;
  private final List<PhaseEvent> timeline = new ArrayList<>();
  private String phase = "pending";
  private RunState state = RunState.RUNNING;
  private String node;

  public RunTracker(String type, String subject, String inputJson) {
    this.runId = Workflow.getInfo().getWorkflowId();
    records.started(new RunStarted(runId, type, subject, inputJson, Workflow.currentTimeMillis()));
  }

  /** Enters a phase of a running run. */
  public void enter(String newPhase) {
    enter(newPhase, null);
  }

  /** Enters a phase of a running run, with a detail for the record (a node name, say). */
  public void enter(String newPhase, String detail) {
    change(newPhase, RunState.RUNNING, detail);
  }

  /** Waits for its turn: phase {@code queued}, state QUEUED, until the next {@link #enter}. */
  public void queue(String detail) {
    change("queued", RunState.QUEUED, detail);
  }

  /**
   * Waits for an operator (state ATTENTION, phase {@code attention}) until the next {@link #enter}:
   * the run cannot go on safely by itself; {@code detail} says what is unknown or wrong.
   */
  public void attention(String detail) {
    change("attention", RunState.ATTENTION, detail);
  }

  /** Ends the run in {@code finalState}; the phase becomes the state's name. */
  public void finish(RunState finalState, String detail) {
    change(finalState.name().toLowerCase(), finalState, detail);
  }

  /**
   * Ends a saga run that failed or was cancelled: records the rollback phase, runs the
   * compensations, and finishes the run FAILED or CANCELLED. Runs in a detached scope, since a
   * cancelled workflow's own scope is cancelled; the record is best effort there, as failing to
   * write it must never skip the compensations. An activity cancelled with the workflow arrives as
   * an ActivityFailure wrapping the CanceledFailure; the scope's flag says it either way.
   */
  public void rollBack(Saga saga, TemporalFailure cause) {
    boolean cancelled = cause instanceof CanceledFailure
        || cause.getCause() instanceof CanceledFailure
        || CancellationScope.current().isCancelRequested();
    String reason = FailureReason.of(cause);
    Workflow.newDetachedCancellationScope(() -> {
      recordQuietly(() -> enter("rollback", reason));
      saga.compensate();
      recordQuietly(() -> finish(cancelled ? RunState.CANCELLED : RunState.FAILED, reason));
    }).run();
  }

  private static void recordQuietly(Runnable record) {
    try {
      record.run();
    } catch (ActivityFailure e) {
      Workflow.getLogger(RunTracker.class).warn("run record not written: {}", FailureReason.of(e));
    }
  }

  public void setNode(String node) {
    this.node = node;
  }

  /** The run's input as JSON for the record; its string form where it cannot be serialised. */
  public static String json(Object input) {
    try {
      return JSON.writeValueAsString(input);
    } catch (JsonProcessingException e) {
      return String.valueOf(input);
    }
  }

  public RunStatus status() {
    return new RunStatus(phase, state, node, List.copyOf(timeline));
  }

  private void change(String newPhase, RunState newState, String detail) {
    long now = Workflow.currentTimeMillis();
    phase = newPhase;
    state = newState;
    timeline.add(new PhaseEvent(newPhase, now, detail));
    records.phase(new RunPhaseChange(runId, newPhase, newState, node, detail, now));
  }
}
