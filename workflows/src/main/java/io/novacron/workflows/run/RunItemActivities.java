package io.novacron.workflows.run;

import io.temporal.activity.ActivityInterface;

/**
 * Writes the items of a parent run (a drain's or a rebalance's VMs) into its run record, for the
 * API and the dashboard. Implemented by the control plane; workflows call it as a local activity,
 * like {@link RunRecordActivities}. Idempotent: a retried or older change changes nothing.
 */
@ActivityInterface(namePrefix = "RunItems.")
public interface RunItemActivities {
  /** Inserts or updates the item's row, unless the row already holds a change at or after this one. */
  void item(RunItemChange change);
}
