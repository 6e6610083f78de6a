package io.novacron.workflows.node;

import io.temporal.activity.ActivityInterface;

/**
 * Keeps the inventory's VM records in step with what power actions and deletes did. Implemented by the control
 * plane, next to {@link InventoryActivities} (a separate interface so that the workers that
 * implement only that one, such as the migration bench's, need no change).
 */
@ActivityInterface(namePrefix = "VmState.")
public interface VmStateActivities {
  /**
   * Records that {@code vmName} is now in {@code state} ({@code running}, {@code shutoff}, ...), and
   * that run {@code runId} changed it last. Idempotent; a VM the inventory does not know is left
   * unknown.
   */
  void recordVmState(String vmName, String state, String runId);

  /** The inventory's record of {@code vmName}, or null when it has none. */
  VmRecord vmRecord(String vmName);

  /**
   * Drops the record of {@code vmName} and the capacity it held, only if its UUID is {@code uuid}:
   * a retried delete never removes a newer VM that took the name. Idempotent.
   */
  void forgetVm(String vmName, String uuid);
}
