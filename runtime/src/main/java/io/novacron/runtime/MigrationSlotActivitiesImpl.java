package io.novacron.runtime;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.novacron.workflows.migrate.slots.MigrationSlotActivities;
import io.novacron.workflows.migrate.slots.MigrationSlotsWorkflow;
import io.novacron.workflows.migrate.slots.SlotBook;
import io.novacron.workflows.migrate.slots.SlotLimits;
import io.novacron.workflows.migrate.slots.SlotRequest;
import io.temporal.activity.Activity;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.BatchRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import java.util.ArrayList;
import java.util.List;

/**
 * Signal-with-start of the migration slot keeper and the keeper's reaper question, through the
 * activity's Temporal client: the keeper's reach outside workflow code, registered by whatever
 * runs the orchestrator (the control plane, the lab's orchestrator).
 */
public class MigrationSlotActivitiesImpl implements MigrationSlotActivities {
  private final SlotLimits limits;

  /** @param limits the cluster's limits, from the control plane's configuration */
  public MigrationSlotActivitiesImpl(SlotLimits limits) {
    this.limits = limits;
  }

  @Override
  public void request(SlotRequest request) {
    WorkflowClient client = Activity.getExecutionContext().getWorkflowClient();
    MigrationSlotsWorkflow keeper = client.newWorkflowStub(MigrationSlotsWorkflow.class,
        WorkflowOptions.newBuilder()
            .setWorkflowId(MigrationSlotsWorkflow.WORKFLOW_ID)
            // The queue this activity runs on is the control plane's, where the keeper's code is.
            .setTaskQueue(Activity.getExecutionContext().getInfo().getActivityTaskQueue())
            .build());
    SlotRequest withLimits = new SlotRequest(request.runId(), request.sourceNode(), limits);
    BatchRequest batch = client.newSignalWithStartRequest();
    batch.add(keeper::keep, SlotBook.empty(limits));
    batch.add(keeper::request, withLimits);
    client.signalWithStart(batch);
  }

  @Override
  public List<String> closed(List<String> runIds) {
    WorkflowClient client = Activity.getExecutionContext().getWorkflowClient();
    List<String> closed = new ArrayList<>();
    for (String id : runIds) {
      try {
        WorkflowExecutionStatus status = client.newUntypedWorkflowStub(id).describe().getStatus();
        if (status != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING) {
          closed.add(id);
        }
      } catch (StatusRuntimeException e) {
        if (e.getStatus().getCode() != Status.Code.NOT_FOUND) {
          throw e;
        }
        closed.add(id);
      } catch (io.temporal.client.WorkflowNotFoundException e) {
        closed.add(id);
      }
    }
    return closed;
  }
}
