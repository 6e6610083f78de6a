package io.novacron.workflows.node;

import io.temporal.activity.ActivityInterface;

/**
 * Keeps the inventory's VM state in step with what power actions did. Implemented by the control
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
}
