package io.novacron.workflows.migrate;

import io.novacron.workflows.migrate.slots.MigrationSlotActivities;
import io.novacron.workflows.migrate.slots.SlotRequest;
import io.temporal.activity.Activity;
import java.util.List;

/**
 * A migration slot granted at once, for workflow tests of MigrateVm itself: the keeper's queueing
 * has tests of its own (MigrationSlotsWorkflowTest, with the real slot activity, in runtime).
 */
final class GrantedSlots implements MigrationSlotActivities {
  @Override
  public void request(SlotRequest request) {
    Activity.getExecutionContext().getWorkflowClient()
        .newWorkflowStub(MigrateVmWorkflow.class, request.runId()).slotGranted();
  }

  @Override
  public List<String> closed(List<String> runIds) {
    return List.of();
  }
}
