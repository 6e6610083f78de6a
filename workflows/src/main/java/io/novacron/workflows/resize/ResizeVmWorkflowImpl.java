package io.novacron.workflows.resize;

import io.novacron.workflows.FailureTypes;
import io.novacron.workflows.FieldError;
import io.novacron.workflows.StepOptions;
import io.novacron.workflows.TaskQueues;
import io.novacron.workflows.host.HostActivities;
import io.novacron.workflows.node.VmRecord;
import io.novacron.workflows.node.VmStateActivities;
import io.novacron.workflows.run.RunState;
import io.novacron.workflows.run.RunStatus;
import io.novacron.workflows.run.RunTracker;
import io.temporal.activity.ActivityOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.Saga;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/** Saga over the control plane's capacity and the VM's node: thin, the decisions are {@link ResizePlan}'s. */
public class ResizeVmWorkflowImpl implements ResizeVmWorkflow {
  private final ActivityOptions control = ActivityOptions.newBuilder()
      .setTaskQueue(TaskQueues.CONTROL)
      .setStartToCloseTimeout(Duration.ofSeconds(30))
      .setRetryOptions(StepOptions.RETRY)
      .build();
  private final VmStateActivities records = Workflow.newActivityStub(VmStateActivities.class, control);
  private final ResizeActivities capacity = Workflow.newActivityStub(ResizeActivities.class, control);

  private RunTracker run;

  @Override
  public ResizeVmResult resize(ResizeVmRequest request) {
    run = new RunTracker(TYPE, request == null ? null : request.vmName(), RunTracker.json(request));
    run.enter("check");
    List<FieldError> errors = ResizeVmValidator.validate(request);
    if (!errors.isEmpty()) {
      throw refuse(errors.stream().map(FieldError::toString).collect(Collectors.joining("; ")),
          FailureTypes.INVALID_SPEC);
    }
    VmRecord vm = records.vmRecord(request.vmName());
    if (vm == null) {
      throw refuse("vmName: VM '" + request.vmName() + "' is not in the inventory; see GET /api/v1/vms",
          FailureTypes.INVALID_SPEC);
    }
    run.setNode(vm.node());
    ResizePlan.Decision decision = ResizePlan.decide(request, vm);
    if (!decision.accepted()) {
      throw refuse(decision.field() == null ? decision.message() : decision.field() + ": " + decision.message(),
          decision.refusal() == ResizePlan.Refusal.NOT_STOPPED ? FailureTypes.VM_NOT_STOPPED : FailureTypes.INVALID_SPEC);
    }
    ResizePlan plan = decision.plan();
    if (!plan.changes()) {
      run.finish(RunState.SUCCEEDED, vm.name() + " already has " + plan.to() + ": nothing to change");
      return new ResizeVmResult(vm.name(), vm.node(), plan.to(), false);
    }
    String runId = Workflow.getInfo().getWorkflowId();
    Saga saga = new Saga(new Saga.Options.Builder().setContinueWithError(true).build());
    try {
      reserve(saga, runId, vm, plan.growth());
      HostActivities host = hostOn(vm.node());
      if (plan.changesDomain()) {
        run.enter("resize-domain", plan.to().vcpus() + " vCPUs, " + plan.to().memoryMib() + " MiB");
        // Registered before the call: a call that timed out may still have redefined the domain.
        saga.addCompensation(host::resizeDomain, vm.name(), vm.uuid(), plan.from().vcpus(), plan.from().memoryMib());
        host.resizeDomain(vm.name(), vm.uuid(), plan.to().vcpus(), plan.to().memoryMib());
      }
      if (plan.growsDisk()) {
        // Last of the node's steps: a grown disk cannot be given back, so nothing after it may fail
        // on the node.
        run.enter("grow-disk", plan.from().diskGib() + " -> " + plan.to().diskGib() + " GiB");
        host.growDisk(vm.name(), plan.to().diskGib());
      }
      run.enter("record", plan.to().toString());
      capacity.recordSize(runId, vm.name(), vm.uuid(), plan.to());
      run.finish(RunState.SUCCEEDED, vm.name() + " has " + plan.to() + " on " + vm.node());
      return new ResizeVmResult(vm.name(), vm.node(), plan.to(), true);
    } catch (ActivityFailure | CanceledFailure | ApplicationFailure e) {
      run.rollBack(saga, e);
      throw e;
    }
  }

  /** Holds what the VM grows by on its node; a refusal fails the run with what is free. */
  private void reserve(Saga saga, String runId, VmRecord vm, VmSize growth) {
    if (!growth.anyPositive()) {
      return; // only decreases: they free capacity, and the record gives it back
    }
    run.enter("reserve", "+" + growth + " on " + vm.node());
    // Registered before the call: a call that timed out may still have held.
    saga.addCompensation(capacity::releaseGrowth, runId);
    String refusal = capacity.holdGrowth(runId, vm.name(), vm.node(), growth);
    if (refusal != null) {
      throw ApplicationFailure.newNonRetryableFailure(refusal, FailureTypes.NO_CAPACITY);
    }
  }

  @Override
  public RunStatus status() {
    return run == null ? null : run.status();
  }

  private ApplicationFailure refuse(String message, String type) {
    run.finish(RunState.FAILED, message);
    return ApplicationFailure.newNonRetryableFailure(message, type);
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
