package io.novacron.workflows.node;

import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.withSettings;

import io.novacron.workflows.DataConversion;
import io.novacron.workflows.TaskQueues;
import io.temporal.client.WorkflowClient;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A JUnit extension: for each test, Temporal's test server running the node workflow on the
 * control queue, as the control plane does, with mocked inventory activities behind it. Shared by
 * the workflow's own tests and the agents' announcer tests (runtime), which signal it as a real
 * agent would. Register it as an instance field with {@code @RegisterExtension}.
 */
public final class NodeWorkflowTestServer implements BeforeEachCallback, AfterEachCallback {
  // Activity interfaces carry Temporal's annotations; the mock must not copy them.
  private final InventoryActivities inventory = mock(InventoryActivities.class, withSettings().withoutAnnotations());
  private TestWorkflowEnvironment env;

  @Override
  public void beforeEach(ExtensionContext context) {
    env = TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder()
        .setWorkflowClientOptions(DataConversion.clientOptions("default"))
        .build());
    Worker worker = env.newWorker(TaskQueues.CONTROL);
    worker.registerWorkflowImplementationTypes(NodeWorkflowImpl.class);
    worker.registerActivitiesImplementations(inventory);
    env.start();
  }

  @Override
  public void afterEach(ExtensionContext context) {
    env.close();
  }

  /** The mocked inventory activities the node workflow calls. */
  public InventoryActivities inventory() {
    return inventory;
  }

  /** A client of the running test server (inside a test). */
  public WorkflowClient client() {
    return env.getWorkflowClient();
  }
}
