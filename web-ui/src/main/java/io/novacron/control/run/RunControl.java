package io.novacron.control.run;

import io.novacron.workflows.migrate.MigrateVmWorkflow;
import io.novacron.workflows.migrate.Resolution;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.failure.TemporalFailure;
import org.springframework.stereotype.Service;

/**
 * What an operator can ask of a running run, through Temporal: cancel it (the workflow rolls back
 * what it did; for a migration this aborts the libvirt job first) or, for a migration, force it
 * to complete or answer it while it waits for an operator. The REST API and the dashboard both
 * call this.
 */
@Service
public class RunControl {
  private final WorkflowClient temporal;
  private final CancelRequests cancelRequests;

  RunControl(WorkflowClient temporal, CancelRequests cancelRequests) {
    this.temporal = temporal;
    this.cancelRequests = cancelRequests;
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

  /**
   * Requests cancellation and records the request in the run's timeline ({@link CancelRequests});
   * the run ends CANCELLED once its rollback is done.
   */
  public void cancel(String runId) {
    temporal.newUntypedWorkflowStub(runId).cancel();
    cancelRequests.record(runId);
  }

  /**
   * Sends a migration's {@code resolve} update and returns the run's answer (what it will do now).
   * Use {@link RunResolutions}, which checks first that the run waits for one.
   *
   * @throws ResolutionRefusedException when the run's validator refuses the resolution (its
   *     message, e.g. that the kept copy was not last seen running) or the run has closed
   */
  String resolve(String runId, Resolution resolution) {
    try {
      return temporal.newWorkflowStub(MigrateVmWorkflow.class, runId).resolve(resolution);
    } catch (WorkflowUpdateException e) {
      throw new ResolutionRefusedException(reason(e));
    } catch (WorkflowNotFoundException e) {
      throw new ResolutionRefusedException("run '" + runId + "' has ended; there is nothing to resolve");
    }
  }

  /** The validator's own words: the first Temporal failure in the chain, without its type prefix. */
  private static String reason(WorkflowUpdateException e) {
    for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
      if (cause instanceof TemporalFailure failure) {
        return failure.getOriginalMessage();
      }
    }
    return e.getMessage();
  }

  /**
   * Asks a migration in its transfer phase to pause the guest and finish the copy. The workflow
   * ignores it outside the transfer phase.
   */
  public void forceComplete(String runId) {
    temporal.newWorkflowStub(MigrateVmWorkflow.class, runId).forceComplete();
  }
}
