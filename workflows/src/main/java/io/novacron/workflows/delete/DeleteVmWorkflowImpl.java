package io.novacron.workflows.delete;

import io.novacron.workflows.FailureTypes;
import io.novacron.workflows.Names;
import io.novacron.workflows.StepOptions;
import io.novacron.workflows.TaskQueues;
import io.novacron.workflows.host.HostActivities;
import io.novacron.workflows.node.VmRecord;
import io.novacron.workflows.node.VmStateActivities;
import io.novacron.workflows.run.FailureReason;
import io.novacron.workflows.run.RunState;
import io.novacron.workflows.run.RunStatus;
import io.novacron.workflows.run.RunTracker;
import io.temporal.activity.ActivityOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Workflow;
import java.time.Duration;

/** Thin: the host agent removes what is on the node, the control plane the record. */
public class DeleteVmWorkflowImpl implements DeleteVmWorkflow {
  private final VmStateActivities records = Workflow.newActivityStub(VmStateActivities.class,
      ActivityOptions.newBuilder()
          .setTaskQueue(TaskQueues.CONTROL)
          .setStartToCloseTimeout(Duration.ofSeconds(30))
          .setRetryOptions(StepOptions.RETRY)
          .build());

  private RunTracker run;

  @Override
  public DeleteVmResult delete(DeleteVmRequest request) {
    String vm = request == null ? null : request.vmName();
    run = new RunTracker(TYPE, vm, RunTracker.json(request));
    run.enter("check");
    if (vm == null || !Names.NAME.matcher(vm).matches()) {
      String message = "vmName: name a VM: 1-63 of a-z 0-9 -, starting with a letter";
      run.finish(RunState.FAILED, message);
      throw ApplicationFailure.newNonRetryableFailure(message, FailureTypes.INVALID_SPEC);
    }
    VmRecord record = records.vmRecord(vm);
    if (record == null) {
      run.finish(RunState.SUCCEEDED, vm + " is not in the inventory: nothing to delete");
      return new DeleteVmResult(vm, null, false);
    }
    run.setNode(record.node());
    // Detached, the final record included: a cancel that arrives once the destroy began must not
    // leave half a VM behind, nor a run that says it was cancelled when the VM is gone.
    CancellationScope runScope = CancellationScope.current();
    Workflow.newDetachedCancellationScope(() -> {
      try {
        destroy(record);
      } catch (ActivityFailure e) {
        run.finish(RunState.FAILED, FailureReason.of(e));
        throw e;
      }
      boolean cancelledLate = runScope.isCancelRequested();
      run.finish(RunState.SUCCEEDED, "deleted from " + record.node()
          + (cancelledLate ? "; the cancel came too late: the delete had begun" : ""));
    }).run();
    return new DeleteVmResult(vm, record.node(), true);
  }

  private void destroy(VmRecord record) {
    HostActivities host = hostOn(record.node());
    run.enter("destroy", "power off and undefine domain " + record.uuid());
    host.undefineDomain(record.name(), record.uuid());
    run.enter("clean-up", "disk, cloud-init seed and console log");
    host.deleteDisk(record.name());
    run.enter("forget", "inventory record and capacity");
    records.forgetVm(record.name(), record.uuid());
  }

  @Override
  public RunStatus status() {
    return run == null ? null : run.status();
  }

  /** Heartbeating like every host step, so that a killed agent is noticed in 30 s. */
  private static HostActivities hostOn(String node) {
    return Workflow.newActivityStub(HostActivities.class,
        StepOptions.heartbeating(ActivityOptions.newBuilder()
            .setTaskQueue(TaskQueues.host(node))
            .setScheduleToStartTimeout(StepOptions.HOST_SCHEDULE_TO_START)
            .setStartToCloseTimeout(Duration.ofMinutes(2))
            .setRetryOptions(StepOptions.RETRY)
            .build()));
  }
}
