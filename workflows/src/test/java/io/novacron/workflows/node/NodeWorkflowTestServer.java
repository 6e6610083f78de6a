package io.novacron.workflows.node;

import io.novacron.workflows.DataConversion;
import io.novacron.workflows.TaskQueues;
import io.temporal.client.WorkflowClient;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;

/**
 * Temporal's test server running the node workflow on the control queue, as the control plane
 * does, with the given inventory activities behind it. Shared by the workflow's own tests and the
 * agents' announcer tests (runtime), which signal it as a real agent would.
 */
public final class NodeWorkflowTestServer implements AutoCloseable {
  private final TestWorkflowEnvironment env;

  public NodeWorkflowTestServer(InventoryActivities inventory) {
    env = TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder()
        .setWorkflowClientOptions(DataConversion.clientOptions("default"))
        .build());
    Worker worker = env.newWorker(TaskQueues.CONTROL);
    worker.registerWorkflowImplementationTypes(NodeWorkflowImpl.class);
    worker.registerActivitiesImplementations(inventory);
    env.start();
  }

  public WorkflowClient client() {
    return env.getWorkflowClient();
  }

  @Override
  public void close() {
    env.close();
  }
}
