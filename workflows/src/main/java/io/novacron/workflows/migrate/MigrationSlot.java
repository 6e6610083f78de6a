package io.novacron.workflows.migrate;

import io.novacron.workflows.StepOptions;
import io.novacron.workflows.migrate.slots.MigrationSlotActivities;
import io.novacron.workflows.migrate.slots.MigrationSlotsWorkflow;
import io.novacron.workflows.migrate.slots.SlotRequest;
import io.novacron.workflows.run.FailureReason;
import io.novacron.workflows.run.RunState;
import io.novacron.workflows.run.RunTracker;
import io.temporal.activity.ActivityCancellationType;
import io.temporal.activity.ActivityOptions;
import io.temporal.activity.LocalActivityOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;

/**
 * A run's place with the cluster's migration slot keeper: QUEUED until the keeper grants a slot
 * (its signal), released in every outcome. Workflow code only.
 */
final class MigrationSlot {
  /** Asks the keeper for a slot (signal-with-start); runs on the control plane's queue. */
  private final MigrationSlotActivities slots = Workflow.newActivityStub(MigrationSlotActivities.class,
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofSeconds(30))
          // A cancelled run sends its release only after its request has reached the keeper, so
          // the keeper never sees the release first and queues a run that is gone.
          .setCancellationType(ActivityCancellationType.WAIT_CANCELLATION_COMPLETED)
          .setRetryOptions(StepOptions.RETRY)
          .build());
  /**
   * The same request as a local activity: it runs on this worker inside the workflow task that
   * queues the run, so the keeper hears of the run without a round trip through the control
   * queue (an activity task, then its completion as another workflow task).
   */
  private final MigrationSlotActivities localSlots = Workflow.newLocalActivityStub(MigrationSlotActivities.class,
      LocalActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofSeconds(30))
          .setRetryOptions(StepOptions.RETRY)
          .build());
  private boolean granted;

  void grant() {
    granted = true;
  }

  /**
   * Waits for a slot. Cancelled while queued: the request is withdrawn and the run ends CANCELLED
   * without having touched a node.
   */
  void take(RunTracker run, MigrateVmRequest request) {
    run.queue("waiting for a migration slot (" + request.sourceNode() + " -> " + request.targetNode() + ")");
    try {
      SlotRequest slotRequest = new SlotRequest(Workflow.getInfo().getWorkflowId(), request.sourceNode(), null);
      // Added after the first release: runs recorded before it asked through the control queue.
      // The workflow task that runs the local activity completes only after the keeper has the
      // request, so a release (sent by a later task) still cannot reach the keeper first.
      if (Workflow.getVersion("slot-request-local", Workflow.DEFAULT_VERSION, 1) >= 1) {
        localSlots.request(slotRequest);
      } else {
        slots.request(slotRequest);
      }
      Workflow.await(() -> granted);
    } catch (CanceledFailure | ActivityFailure e) {
      boolean cancelled = MoveEnding.cancelled(e);
      Workflow.newDetachedCancellationScope(() -> {
        release();
        run.finish(cancelled ? RunState.CANCELLED : RunState.FAILED, cancelled
            ? "cancelled while queued; nothing was touched" : "no migration slot: " + FailureReason.of(e));
      }).run();
      throw e;
    }
    run.enter("check", "migration slot granted");
  }

  void release() {
    try {
      Workflow.newExternalWorkflowStub(MigrationSlotsWorkflow.class, MigrationSlotsWorkflow.WORKFLOW_ID)
          .release(Workflow.getInfo().getWorkflowId());
    } catch (RuntimeException e) {
      // The keeper also frees the slots of closed runs by itself (its reaper).
      Workflow.getLogger(MigrationSlot.class).warn("slot not released: {}", e.getMessage());
    }
  }
}
