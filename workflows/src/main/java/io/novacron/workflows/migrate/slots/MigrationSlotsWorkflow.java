package io.novacron.workflows.migrate.slots;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * The cluster's migration slot keeper: one long-lived entity workflow ({@link #WORKFLOW_ID}) that
 * grants slots to MigrateVm runs in order, within {@link SlotLimits}, and frees them when the runs
 * release them or are found closed. It never ends; it continues as new when its history grows.
 * Started by the first {@link MigrationSlotActivities#request} (signal-with-start).
 */
@WorkflowInterface
public interface MigrationSlotsWorkflow {
  String TYPE = "MigrationSlots";
  /** One keeper per cluster: a cluster is one Temporal namespace. */
  String WORKFLOW_ID = "migration-slots";

  @WorkflowMethod(name = TYPE)
  void keep(SlotBook book);

  /** Queues a run; the grant comes as the run's {@code slotGranted} signal. Repeats are ignored. */
  @SignalMethod
  void request(SlotRequest request);

  /** Frees the run's slot, or drops it from the queue. Unknown runs are ignored. */
  @SignalMethod
  void release(String runId);

  /** Holders and queue as they stand. */
  @QueryMethod
  SlotBook book();
}
