package io.novacron.control.run;

import io.novacron.workflows.migrate.MigrateVmWorkflow;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.client.WorkflowClient;
import org.springframework.stereotype.Service;

/**
 * What an operator can ask of a running run, through Temporal: cancel it (the workflow rolls back
 * what it did; for a migration this aborts the libvirt job first) or, for a migration, force it
 * to complete. The REST API and the dashboard both call this.
 */
@Service
public class RunControl {
  private final WorkflowClient temporal;

  RunControl(WorkflowClient temporal) {
    this.temporal = temporal;
  }

  /** Whether Temporal knows a run with this id (it may not have written its first record yet). */
  public boolean exists(String runId) {
    try {
      temporal.getWorkflowServiceStubs().blockingStub().describeWorkflowExecution(
          DescribeWorkflowExecutionRequest.newBuilder()
              .setNamespace(temporal.getOptions().getNamespace())
              .setExecution(WorkflowExecution.newBuilder().setWorkflowId(runId))
              .build());
      return true;
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
        return false;
      }
      throw e;
    }
  }

  /** Requests cancellation; the run ends CANCELLED once its rollback is done. */
  public void cancel(String runId) {
    temporal.newUntypedWorkflowStub(runId).cancel();
  }

  /**
   * Asks a migration in its transfer phase to pause the guest and finish the copy. The workflow
   * ignores it outside the transfer phase.
   */
  public void forceComplete(String runId) {
    temporal.newWorkflowStub(MigrateVmWorkflow.class, runId).forceComplete();
  }
}
