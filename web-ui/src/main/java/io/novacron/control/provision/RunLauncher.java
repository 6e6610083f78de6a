package io.novacron.control.provision;

import io.novacron.workflows.TaskQueues;
import io.novacron.workflows.provision.ProvisionVmRequest;
import io.novacron.workflows.provision.ProvisionVmWorkflow;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import java.time.Duration;
import java.util.UUID;
import org.springframework.stereotype.Service;

/** Starts runs on Temporal and returns their ids at once; the workflows record themselves. */
@Service
public class RunLauncher {
  /** A provisioning that has not finished in a day is stuck; Temporal ends it. */
  static final Duration PROVISION_TIMEOUT = Duration.ofDays(1);

  private final WorkflowClient client;

  RunLauncher(WorkflowClient client) {
    this.client = client;
  }

  /** Starts ProvisionVm; returns the run id (the workflow id). */
  public String provision(ProvisionVmRequest request) {
    String runId = "provision-" + request.name() + "-" + UUID.randomUUID().toString().substring(0, 8);
    ProvisionVmWorkflow workflow = client.newWorkflowStub(
        ProvisionVmWorkflow.class,
        WorkflowOptions.newBuilder()
            .setWorkflowId(runId)
            .setTaskQueue(TaskQueues.CONTROL)
            .setWorkflowExecutionTimeout(PROVISION_TIMEOUT)
            .build());
    WorkflowClient.start(workflow::provision, request);
    return runId;
  }
}
