package io.novacron.workflows.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import io.novacron.workflows.DataConversion;
import io.novacron.workflows.FailureTypes;
import io.novacron.workflows.TaskQueues;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.TimeoutFailure;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** ReadConsole with a mocked console activity on {@code host.node-a} only, as in production. */
class ConsoleReadWorkflowTest {
  private static final String NODE = "node-a";
  private final ConsoleActivities console = mock(ConsoleActivities.class, withSettings().withoutAnnotations());
  private TestWorkflowEnvironment env;

  @BeforeEach
  void setUp() {
    env = TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder()
        .setWorkflowClientOptions(DataConversion.clientOptions("default"))
        .build());
    env.newWorker(TaskQueues.CONTROL).registerWorkflowImplementationTypes(ConsoleReadWorkflowImpl.class);
    env.newWorker(TaskQueues.host(NODE)).registerActivitiesImplementations(console);
    env.start();
  }

  @AfterEach
  void tearDown() {
    env.close();
  }

  private ConsoleChunk read(String node, ConsoleRequest request) {
    return env.getWorkflowClient().newWorkflowStub(ConsoleReadWorkflow.class, WorkflowOptions.newBuilder()
        .setTaskQueue(TaskQueues.CONTROL).build()).read(new ConsoleReadRequest(node, request));
  }

  @Test
  void the_read_runs_on_the_vms_node_and_its_chunk_comes_back() {
    ConsoleRequest request = new ConsoleRequest("web-1", -4096, 0);
    ConsoleChunk chunk = new ConsoleChunk("up\n", 10, 13, 13, true, false);
    when(console.readConsole(request)).thenReturn(chunk);

    assertThat(read(NODE, request)).isEqualTo(chunk);
  }

  @Test
  void a_node_without_an_agent_fails_the_read_within_the_schedule_to_start_timeout() {
    WorkflowFailedException failed = catchThrowableOfType(WorkflowFailedException.class,
        () -> read("node-gone", new ConsoleRequest("web-1", 0, 0)));

    assertThat(failed.getCause()).isInstanceOf(ActivityFailure.class);
    assertThat(failed.getCause().getCause()).isInstanceOf(TimeoutFailure.class);
    verifyNoInteractions(console);
  }

  @Test
  void a_name_that_is_not_a_novacron_name_reads_nothing() {
    WorkflowFailedException failed = catchThrowableOfType(WorkflowFailedException.class,
        () -> read(NODE, new ConsoleRequest("../etc/passwd", 0, 0)));

    assertThat(((ApplicationFailure) failed.getCause()).getType()).isEqualTo(FailureTypes.INVALID_SPEC);
    verifyNoInteractions(console);
  }
}
