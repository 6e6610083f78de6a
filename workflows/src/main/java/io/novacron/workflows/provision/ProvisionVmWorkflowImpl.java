package io.novacron.workflows.provision;

import io.novacron.workflows.FieldError;

import io.novacron.workflows.FailureTypes;
import io.novacron.workflows.StepOptions;
import io.novacron.workflows.TaskQueues;
import io.novacron.workflows.host.DiskInfo;
import io.novacron.workflows.host.DiskRequest;
import io.novacron.workflows.host.DomainRequest;
import io.novacron.workflows.host.DomainStatus;
import io.novacron.workflows.host.GuestStart;
import io.novacron.workflows.host.HostActivities;
import io.novacron.workflows.host.Nic;
import io.novacron.workflows.image.ImageEnsurer;
import io.novacron.workflows.node.InventoryActivities;
import io.novacron.workflows.node.VmRecord;
import io.novacron.workflows.run.RunState;
import io.novacron.workflows.run.RunStatus;
import io.novacron.workflows.run.RunTracker;
import io.temporal.activity.ActivityCancellationType;
import io.temporal.activity.ActivityOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.Saga;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Saga over the control plane and the chosen node's host agent. */
public class ProvisionVmWorkflowImpl implements ProvisionVmWorkflow {
  /*
   * Placement waits for a cancelled reserve to end (WAIT_CANCELLATION_COMPLETED): with the default
   * TRY_CANCEL the saga would release the reservation while a still-running reserve then commits
   * it. Reserve is short and never heartbeats, so the wait is the length of one transaction.
   */
  private final PlacementActivities placement =
      Workflow.newActivityStub(
          PlacementActivities.class,
          ActivityOptions.newBuilder()
              .setTaskQueue(TaskQueues.CONTROL)
              .setStartToCloseTimeout(Duration.ofSeconds(30))
              .setRetryOptions(StepOptions.RETRY)
              .setCancellationType(ActivityCancellationType.WAIT_CANCELLATION_COMPLETED)
              .build());

  private final InventoryActivities inventory =
      Workflow.newActivityStub(
          InventoryActivities.class,
          ActivityOptions.newBuilder()
              .setTaskQueue(TaskQueues.CONTROL)
              .setStartToCloseTimeout(Duration.ofSeconds(30))
              .setRetryOptions(StepOptions.RETRY)
              .build());

  private RunTracker run;

  @Override
  public ProvisionVmResult provision(ProvisionVmRequest request) {
    run = new RunTracker(TYPE, request == null ? null : request.name(), RunTracker.json(request));
    run.enter("validate");
    List<FieldError> errors = ProvisionVmValidator.validate(request);
    if (!errors.isEmpty()) {
      String message = errors.stream().map(FieldError::toString).collect(Collectors.joining("; "));
      run.finish(RunState.FAILED, message);
      throw ApplicationFailure.newNonRetryableFailure(message, FailureTypes.INVALID_SPEC);
    }

    String runId = Workflow.getInfo().getWorkflowId();
    Saga saga = new Saga(new Saga.Options.Builder().setContinueWithError(true).build());
    try {
      run.enter("place");
      // Registered before the call: a call that timed out may still have reserved.
      saga.addCompensation(placement::release, runId);
      Placement placed = placement.reserve(runId, request);
      run.setNode(placed.node());
      HostActivities host = hostOn(placed.node());

      if (placed.image() != null) {
        // Only runs placed on a node that lacks a registered image pull: older histories never do.
        run.enter("pull-image");
        new ImageEnsurer().ensure(placed.node(), placed.image());
      }

      run.enter("prepare-storage");
      saga.addCompensation(host::deleteDisk, request.name());
      DiskInfo disk = host.createDisk(new DiskRequest(request.name(), request.diskGib(), request.imageOrNull()));

      run.enter("define");
      String uuid = Workflow.randomUUID().toString();
      saga.addCompensation(host::undefineDomain, request.name(), uuid);
      // Null, not empty, without networks: the request a VM without NICs always had.
      List<Nic> nics = request.networksOrEmpty().isEmpty() ? null
          : request.networksOrEmpty().stream().map(n -> Nic.assign(n, Workflow.randomUUID())).toList();
      host.defineDomain(new DomainRequest(request.name(), uuid, request.vcpus(), request.memoryMib(),
          disk.path(), request.imageOrNull(), nics, request.cloudInit()));

      DomainStatus status = GuestStart.startAndVerify(host, host, request.name(), run, null);

      run.enter("record");
      inventory.recordVm(new VmRecord(request.name(), uuid, placed.node(), status.state(),
          request.vcpus(), request.memoryMib(), request.diskGib(), request.imageOrNull(),
          disk.path(), runId, nics, request.labels()));

      run.finish(RunState.SUCCEEDED, "running on " + placed.node());
      return new ProvisionVmResult(request.name(), uuid, placed.node(), status.domainType(), disk.path());
    } catch (ActivityFailure | CanceledFailure | ApplicationFailure e) {
      // ApplicationFailure: a failure of workflow code itself, e.g. a pulled image's digest.
      run.rollBack(saga, e);
      throw e;
    }
  }

  @Override
  public RunStatus status() {
    return run == null ? null : run.status();
  }

  /**
   * The node's host activities. The host agent heartbeats beside every step (ActivitySteps), so
   * every step gets the {@link StepOptions#GUEST_STEP_HEARTBEAT} timeout: an agent killed while it
   * creates the disk, defines or starts the guest is noticed in 30 s instead of at the step's
   * 2-minute start-to-close timeout, and the retry on the restarted agent finds what libvirt did.
   */
  private HostActivities hostOn(String node) {
    ActivityOptions options = StepOptions.heartbeating(ActivityOptions.newBuilder()
        .setTaskQueue(TaskQueues.host(node))
        .setScheduleToStartTimeout(StepOptions.HOST_SCHEDULE_TO_START)
        .setStartToCloseTimeout(Duration.ofMinutes(2))
        .setRetryOptions(StepOptions.RETRY)
        // A cancelled define or start is waited for: the saga's undo must not race it.
        .setCancellationType(StepOptions.vmStepCancellation())
        .build());
    ActivityOptions waiting = ActivityOptions.newBuilder(options)
        .setStartToCloseTimeout(Duration.ofMinutes(5))
        .setHeartbeatTimeout(Duration.ofSeconds(30))
        // Only reads the console: a cancelled wait for the readiness line is let go at once.
        .setCancellationType(ActivityCancellationType.TRY_CANCEL)
        .build();
    return Workflow.newActivityStub(HostActivities.class, options, Map.of("Host.VerifyRunning", waiting));
  }

}
