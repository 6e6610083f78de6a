package io.novacron.control.run;

import io.novacron.workflows.migrate.MigrateVmWorkflow;
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
