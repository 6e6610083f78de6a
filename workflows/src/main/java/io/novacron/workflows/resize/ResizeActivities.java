package io.novacron.workflows.resize;

import io.temporal.activity.ActivityInterface;

/**
 * A resize's capacity and record in the inventory database. Implemented by the control plane.
 */
@ActivityInterface(namePrefix = "Resize.")
public interface ResizeActivities {
  /**
   * Holds {@code growth} on {@code node} for run {@code runId} when the node has it free by the
   * placement rules, atomically with the check (placement and migrations take the same node lock).
   * Idempotent per run: a retry finds its own hold and returns null.
   *
   * @return why the node cannot take the growth, naming what is free; null once it is held
   */
  String holdGrowth(String runId, String vmName, String node, VmSize growth);

  /** Drops the run's hold, if any. Idempotent. */
  void releaseGrowth(String runId);

  /**
   * Records the VM's new size, in one transaction: the VM's record (only if its UUID is
   * {@code uuid}), the capacity it holds for as long as it exists, and the end of the run's hold.
   * Idempotent.
   */
  void recordSize(String runId, String vmName, String uuid, VmSize size);
}
