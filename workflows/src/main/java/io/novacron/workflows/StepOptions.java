package io.novacron.workflows;

import io.temporal.activity.ActivityCancellationType;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;

/** Activity settings every NovaCron workflow shares for its steps. */
public final class StepOptions {
  /** A dead or absent node must fail the step fast instead of leaving the run waiting on its queue. */
  public static final Duration HOST_SCHEDULE_TO_START = Duration.ofSeconds(30);

  /**
   * The heartbeat timeout of every node step of a migration and of the start and shutdown of
   * provision and power runs: the host agent heartbeats beside each step every 2 s, so a killed
   * agent is noticed within this instead of the step's start-to-close timeout, and the retry
   * re-attaches to what libvirtd finished on its own.
   */
  public static final Duration GUEST_STEP_HEARTBEAT = Duration.ofSeconds(30);

  /**
   * {@code options} for a host agent step (the agent heartbeats beside each), with
   * {@link #GUEST_STEP_HEARTBEAT} as heartbeat timeout.
   */
  public static ActivityOptions heartbeating(ActivityOptions options) {
    return ActivityOptions.newBuilder(options).setHeartbeatTimeout(GUEST_STEP_HEARTBEAT).build();
  }

  /** Transient failures are retried a few times, quickly; non-retryable ones end the step at once. */
  public static final RetryOptions RETRY =
      RetryOptions.newBuilder()
          .setInitialInterval(Duration.ofSeconds(1))
          .setMaximumInterval(Duration.ofSeconds(10))
          .setMaximumAttempts(5)
          .build();

  /**
   * How a step that changes a VM on a node (define, start, stop, shut down, save, restore, resume,
   * remove, a receive opened or closed) is cancelled: the workflow waits until the agent has ended
   * it. Temporal's default, TRY_CANCEL, lets the workflow go on at once while the agent still
   * starts, stops or restores the guest, so that whatever the workflow then reads or undoes races
   * that step: a cold move cancelled while the target started the guest saw the target "paused
   * (starting-up)", started the source again and left two running copies. The agent does not cut
   * such a step short when a heartbeat reports the cancel, so the wait is the step's own length; a
   * dead agent ends it with its heartbeat timeout where the step heartbeats ({@link #heartbeating}),
   * else with its start-to-close timeout.
   *
   * <p>Workflow code only. Runs recorded before the rule keep TRY_CANCEL, so that their histories
   * replay (the first call records the choice).
   */
  public static ActivityCancellationType vmStepCancellation() {
    return Workflow.getVersion("wait-cancelled-steps", Workflow.DEFAULT_VERSION, 1) >= 1
        ? ActivityCancellationType.WAIT_CANCELLATION_COMPLETED
        : ActivityCancellationType.TRY_CANCEL;
  }

  private StepOptions() {}
}
