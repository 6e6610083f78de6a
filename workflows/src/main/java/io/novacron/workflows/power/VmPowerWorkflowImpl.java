package io.novacron.workflows.power;

import io.novacron.workflows.FailureTypes;
import io.novacron.workflows.StepOptions;
import io.novacron.workflows.TaskQueues;
import io.novacron.workflows.host.DomainStatus;
import io.novacron.workflows.host.GuestStart;
import io.novacron.workflows.host.HostActivities;
import io.novacron.workflows.migrate.MigrationActivities;
import io.novacron.workflows.node.InventoryActivities;
import io.novacron.workflows.node.VmStateActivities;
import io.novacron.workflows.FieldError;
import io.novacron.workflows.run.FailureReason;
import io.novacron.workflows.run.RunState;
import io.novacron.workflows.run.RunStatus;
import io.novacron.workflows.run.RunTracker;
import io.temporal.activity.ActivityOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.TimeoutFailure;
import io.temporal.api.enums.v1.TimeoutType;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Thin: the host agent does the libvirt work, the control plane the inventory. */
public class VmPowerWorkflowImpl implements VmPowerWorkflow {
  /** On top of the grace period: the shutdown request, the forced power-off, a retry. */
  static final Duration SHUTDOWN_SLACK = Duration.ofMinutes(2);

  private final ActivityOptions control = ActivityOptions.newBuilder()
      .setTaskQueue(TaskQueues.CONTROL)
      .setStartToCloseTimeout(Duration.ofSeconds(30))
      .setRetryOptions(StepOptions.RETRY)
      .build();
  private final InventoryActivities inventory = Workflow.newActivityStub(InventoryActivities.class, control);
  private final VmStateActivities vmStates = Workflow.newActivityStub(VmStateActivities.class, control);

  private RunTracker run;

  @Override
  public VmPowerResult power(VmPowerRequest request) {
    run = new RunTracker(TYPE, request == null ? null : request.vmName(), RunTracker.json(request));
    run.enter("check");
    List<FieldError> errors = VmPowerValidator.validate(request);
    if (!errors.isEmpty()) {
      throw refuse(errors.stream().map(FieldError::toString).collect(Collectors.joining("; ")));
    }
    String vm = request.vmName();
    String node = inventory.vmNode(vm);
    if (node == null) {
      throw refuse("vmName: VM '" + vm + "' is not in the inventory; see GET /api/v1/vms");
    }
    run.setNode(node);
    HostActivities host = host(node, Duration.ofMinutes(2), null);
    try {
      DomainStatus status = switch (request.action()) {
        case START -> start(host, node, vm);
        case STOP -> stop(node, vm, request.resolvedGraceSeconds());
        case REBOOT -> reboot(host, node, vm, request.resolvedGraceSeconds());
      };
      run.enter("record", status.state());
      vmStates.recordVmState(vm, status.state(), Workflow.getInfo().getWorkflowId());
      run.finish(RunState.SUCCEEDED, vm + " is " + status.state() + " on " + node);
      return new VmPowerResult(vm, node, status.state());
    } catch (ActivityFailure | CanceledFailure e) {
      end(host, vm, e);
      throw e;
    }
  }

  @Override
  public RunStatus status() {
    return run == null ? null : run.status();
  }

  private DomainStatus start(HostActivities host, String node, String vm) {
    // Waits for the guest's readiness line; heartbeats while it waits, hence the heartbeat timeout.
    return GuestStart.startAndVerify(host, host(node, Duration.ofMinutes(5), Duration.ofSeconds(30)), vm, run, node);
  }

  /** Stop, then start: the guest is down for its shutdown and its boot, and is verified after. */
  private DomainStatus reboot(HostActivities host, String node, String vm, int graceSeconds) {
    stop(node, vm, graceSeconds);
    return start(host, node, vm);
  }

  /**
   * The host agent's graceful-then-forced shutdown, the one cold migration uses: one implementation
   * of "ask, wait, power off" on the agent.
   */
  private DomainStatus stop(String node, String vm, int graceSeconds) {
    run.enter("shutdown", graceSeconds == 0 ? "power off" : "up to " + graceSeconds + " s, then power off");
    MigrationActivities agent = Workflow.newActivityStub(MigrationActivities.class,
        StepOptions.heartbeating(ActivityOptions.newBuilder()
            .setTaskQueue(TaskQueues.host(node))
            .setScheduleToStartTimeout(StepOptions.HOST_SCHEDULE_TO_START)
            .setStartToCloseTimeout(Duration.ofSeconds(graceSeconds).plus(SHUTDOWN_SLACK))
            .setRetryOptions(StepOptions.RETRY)
            .setCancellationType(StepOptions.vmStepCancellation())
            .build()));
    return agent.shutdownForMove(vm, graceSeconds);
  }

  /**
   * A failed or cancelled action may have changed the guest before it stopped (a start whose guest
   * then crashed): the inventory gets the state libvirt reports now, best effort, so that it never
   * claims a state the action left behind. Not where the agent never took the step: asking it
   * again would only wait out another schedule-to-start timeout.
   */
  private void end(HostActivities host, String vm, RuntimeException cause) {
    boolean cancelled = cause instanceof CanceledFailure
        || cause.getCause() instanceof CanceledFailure
        || CancellationScope.current().isCancelRequested();
    String reason = FailureReason.of(cause);
    boolean agentAnswered = !agentAbsent(cause);
    Workflow.newDetachedCancellationScope(() -> {
      if (agentAnswered) {
        recordStateQuietly(host, vm);
      }
      run.finish(cancelled ? RunState.CANCELLED : RunState.FAILED, reason);
    }).run();
  }

  /** Whether the failure says the node's agent never picked the step up (down or unknown node). */
  static boolean agentAbsent(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof TimeoutFailure timeout && timeout.getTimeoutType() == TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_START) {
        return true;
      }
    }
    return false;
  }

  private void recordStateQuietly(HostActivities host, String vm) {
    try {
      DomainStatus now = host.status(vm);
      if (!"absent".equals(now.state())) {
        vmStates.recordVmState(vm, now.state(), Workflow.getInfo().getWorkflowId());
      }
    } catch (ActivityFailure e) {
      Workflow.getLogger(VmPowerWorkflowImpl.class).warn("state of {} not re-read: {}", vm, FailureReason.of(e));
    }
  }

  private ApplicationFailure refuse(String message) {
    run.finish(RunState.FAILED, message);
    return ApplicationFailure.newNonRetryableFailure(message, FailureTypes.INVALID_SPEC);
  }

  private static HostActivities host(String node, Duration startToClose, Duration heartbeat) {
    ActivityOptions.Builder options = ActivityOptions.newBuilder()
        .setTaskQueue(TaskQueues.host(node))
        .setScheduleToStartTimeout(StepOptions.HOST_SCHEDULE_TO_START)
        .setStartToCloseTimeout(startToClose)
        .setRetryOptions(StepOptions.RETRY);
    if (heartbeat != null) {
      options.setHeartbeatTimeout(heartbeat);
    } else {
      // The steps that change the guest (start, status before the record): a cancelled one is
      // waited for, so that the state recorded after it is its end. The heartbeating one only
      // waits for the readiness line and is let go at once.
      options.setCancellationType(StepOptions.vmStepCancellation());
      ActivityOptions steps = options.build();
      // A start heartbeats beside libvirt's create: a killed agent is noticed in 30 s, not 2 min.
      return Workflow.newActivityStub(HostActivities.class, steps,
          Map.of("Host.StartDomain", StepOptions.heartbeating(steps)));
    }
    return Workflow.newActivityStub(HostActivities.class, options.build());
  }
}
