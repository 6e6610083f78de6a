package io.novacron.workflows.console;

import io.novacron.workflows.FailureTypes;
import io.novacron.workflows.Names;
import io.novacron.workflows.TaskQueues;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;

/** Thin: checks the names, reads once on the node's queue. */
public class ConsoleReadWorkflowImpl implements ConsoleReadWorkflow {
  /**
   * A live agent picks a read up in milliseconds; one that has not within this is down or its node
   * is gone, and the viewer should hear so now rather than wait for the host steps' 30 s.
   */
  static final Duration SCHEDULE_TO_START = Duration.ofSeconds(5);
  /** One bounded file read. */
  static final Duration START_TO_CLOSE = Duration.ofSeconds(10);
  /** Reads are harmless to repeat, but a viewer polls again within a second: one retry is plenty. */
  private static final RetryOptions RETRY = RetryOptions.newBuilder()
      .setInitialInterval(Duration.ofMillis(200))
      .setMaximumAttempts(2)
      .build();

  @Override
  public ConsoleChunk read(ConsoleReadRequest request) {
    String node = request == null ? null : request.node();
    ConsoleRequest read = request == null ? null : request.read();
    if (node == null || !Names.NAME.matcher(node).matches()) {
      throw ApplicationFailure.newNonRetryableFailure("node: name the VM's node", FailureTypes.INVALID_SPEC);
    }
    if (read == null || read.vmName() == null || !Names.NAME.matcher(read.vmName()).matches()) {
      throw ApplicationFailure.newNonRetryableFailure(
          "read.vmName: name a VM: 1-63 of a-z 0-9 -, starting with a letter", FailureTypes.INVALID_SPEC);
    }
    ConsoleActivities console = Workflow.newActivityStub(ConsoleActivities.class, ActivityOptions.newBuilder()
        .setTaskQueue(TaskQueues.host(node))
        .setScheduleToStartTimeout(SCHEDULE_TO_START)
        .setStartToCloseTimeout(START_TO_CLOSE)
        .setRetryOptions(RETRY)
        .build());
    return console.readConsole(read);
  }
}
