package io.novacron.workflows.fleet;

import io.novacron.workflows.StepOptions;
import io.novacron.workflows.TaskQueues;
import io.temporal.activity.ActivityOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;

/** The fleet activity stub the drain and rebalance workflows share. Workflow code. */
final class FleetSteps {
  private FleetSteps() {}

  static FleetActivities activities() {
    return Workflow.newActivityStub(FleetActivities.class, ActivityOptions.newBuilder()
        .setTaskQueue(TaskQueues.CONTROL)
        .setStartToCloseTimeout(Duration.ofSeconds(30))
        .setRetryOptions(StepOptions.RETRY)
        .build());
  }
}
