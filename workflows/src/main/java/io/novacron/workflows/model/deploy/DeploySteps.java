package io.novacron.workflows.model.deploy;

import io.novacron.workflows.StepOptions;
import io.novacron.workflows.TaskQueues;
import io.novacron.workflows.transfer.TransferActivities;
import io.temporal.activity.ActivityCancellationType;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;

/** Activity stubs of a deployment's steps, pinned to GPU agents' queues. Workflow code only. */
final class DeploySteps {
  /** Long steps heartbeat every few seconds; a few missed ones mean the agent is gone. */
  static final Duration HEARTBEAT = Duration.ofSeconds(30);
  static final Duration LONG_STEP = Duration.ofHours(6);

  private DeploySteps() {}

  /** Short calls: inventory, inspection, checks, launch, stop. */
  static GpuActivities gpu(String node) {
    return Workflow.newActivityStub(GpuActivities.class, pinned(node, Duration.ofMinutes(2)).build());
  }

  /** Sharding, verifying, waiting for health: heartbeating, cancelled promptly. */
  static GpuActivities gpuLong(String node, Duration limit) {
    return Workflow.newActivityStub(GpuActivities.class, pinned(node, limit)
        .setHeartbeatTimeout(HEARTBEAT)
        .setCancellationType(ActivityCancellationType.WAIT_CANCELLATION_COMPLETED)
        .build());
  }

  /** openReceive and closeReceive on the receiving GPU agent. */
  static TransferActivities receiver(String node) {
    return Workflow.newActivityStub(TransferActivities.class, pinned(node, Duration.ofMinutes(10)).build());
  }

  /**
   * send on the source GPU agent. Few attempts: when it keeps failing the workflow opens the
   * receive again (the receiver may have restarted on another port) and sends again, resuming from
   * the receiver's journal.
   */
  static TransferActivities sender(String node) {
    return Workflow.newActivityStub(TransferActivities.class, pinned(node, LONG_STEP)
        .setHeartbeatTimeout(HEARTBEAT)
        .setCancellationType(ActivityCancellationType.WAIT_CANCELLATION_COMPLETED)
        .setRetryOptions(RetryOptions.newBuilder()
            .setInitialInterval(Duration.ofSeconds(1))
            .setMaximumInterval(Duration.ofSeconds(5))
            .setMaximumAttempts(2)
            .build())
        .build());
  }

  private static ActivityOptions.Builder pinned(String node, Duration startToClose) {
    return ActivityOptions.newBuilder()
        .setTaskQueue(TaskQueues.gpu(node))
        .setScheduleToStartTimeout(StepOptions.HOST_SCHEDULE_TO_START)
        .setStartToCloseTimeout(startToClose)
        // A cancelled step still ends before the compensations run: a launch or an open receive
        // that lands after its undo would outlive the run.
        .setCancellationType(ActivityCancellationType.WAIT_CANCELLATION_COMPLETED)
        .setRetryOptions(StepOptions.RETRY);
  }
}
