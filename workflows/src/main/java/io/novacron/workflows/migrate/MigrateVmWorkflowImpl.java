package io.novacron.workflows.migrate;

import io.novacron.workflows.FailureTypes;
import io.novacron.workflows.StepOptions;
import io.novacron.workflows.TaskQueues;
import io.novacron.workflows.host.DomainStatus;
import io.novacron.workflows.host.HostActivities;
import io.novacron.workflows.run.FailureReason;
import io.novacron.workflows.run.RunState;
import io.novacron.workflows.run.RunStatus;
import io.novacron.workflows.run.RunTracker;
import io.novacron.workflows.migrate.slots.MigrationSlotActivities;
import io.novacron.workflows.migrate.slots.MigrationSlotsWorkflow;
import io.novacron.workflows.migrate.slots.SlotRequest;
import io.novacron.workflows.transfer.CloseReceiveRequest;
import io.novacron.workflows.transfer.ReceiveEndpoint;
import io.novacron.workflows.transfer.TransferActivities;
import io.novacron.workflows.transfer.TransferOptions;
import io.novacron.workflows.transfer.TransferRequest;
import io.novacron.workflows.transfer.TransferResult;
import io.temporal.activity.ActivityCancellationType;
import io.novacron.workflows.node.InventoryActivities;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Saga;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Saga over the source's and the target's host agents. Phases: check, prepare-destination,
 * transfer, verify, cleanup-source; rollback on failure.
 */
public class MigrateVmWorkflowImpl implements MigrateVmWorkflow {
  /** The monitor heartbeats every ~0.5 s; a few missed ones mean the agent is gone. */
  static final Duration MONITOR_HEARTBEAT = Duration.ofSeconds(10);
  /** Attempts of the monitor: the first starts the migration, later ones re-attach to it. */
  static final int MONITOR_ATTEMPTS = 10;
  /** Slack on top of the policy's completion timeout before Temporal itself gives up. */
  static final Duration TRANSFER_SLACK = Duration.ofMinutes(5);

  /** Control activities run where this workflow runs (the control plane's queue). */
  private final InventoryActivities inventory = Workflow.newActivityStub(InventoryActivities.class,
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofSeconds(30))
          .setRetryOptions(StepOptions.RETRY)
          .build());

  /** Asks the cluster's slot keeper for a slot (signal-with-start); runs on the control queue. */
  private final MigrationSlotActivities slots = Workflow.newActivityStub(MigrationSlotActivities.class,
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofSeconds(30))
          // A cancelled run sends its release only after its request has reached the keeper, so
          // the keeper never sees the release first and queues a run that is gone.
          .setCancellationType(ActivityCancellationType.WAIT_CANCELLATION_COMPLETED)
          .setRetryOptions(StepOptions.RETRY)
          .build());

  private RunTracker run;
  /** What the move did so far; the settlement decides from it and both nodes' state. */
  private MoveStage stage;
  /** Set once the source is described: ends every outcome of the move from both nodes' state. */
  private MoveSettler settler;
  private boolean slotGranted;
  private boolean forceRequested;
  private boolean inTransfer;
  private boolean transferStarted;
  private boolean holdsTarget;
  /** prepareTarget was called: from then on the target may hold files of the VM. */
  private boolean targetTouched;
  /** Aborts of the target's open receives; the settlement runs them before it looks at the nodes. */
  private final Saga receives = new Saga(new Saga.Options.Builder().setContinueWithError(true).build());

  @Override
  public MigrateVmResult migrate(MigrateVmRequest request) {
    run = new RunTracker(TYPE, request == null ? null : request.vmName(), RunTracker.json(request));
    run.enter("check");
    String invalid = invalid(request);
    if (invalid == null && blank(request.sourceNode())) {
      request = withSourceFromInventory(request);
      invalid = invalid(request);
    }
    if (invalid != null) {
      run.finish(RunState.FAILED, invalid);
      throw ApplicationFailure.newNonRetryableFailure(invalid, FailureTypes.INVALID_SPEC);
    }
    run.setNode(request.sourceNode());
    // Added after the first release: runs whose history predates it replay without a slot.
    boolean slotted = Workflow.getVersion("migration-slots", Workflow.DEFAULT_VERSION, 1) >= 1;
    if (slotted) {
      takeSlot(request);
    }
    try {
      return move(request);
    } finally {
      // Every outcome frees the target's capacity and the slot: success (the VM's own capacity
      // has moved to the target by then), failure, cancellation (hence detached).
      if (holdsTarget) {
        Workflow.newDetachedCancellationScope(this::releaseTarget).run();
      }
      if (slotted) {
        Workflow.newDetachedCancellationScope(this::releaseSlot).run();
      }
    }
  }

  @Override
  public void slotGranted() {
    slotGranted = true;
  }

  @Override
  public void validateResolve(Resolution resolution) {
    if (settler == null) {
      throw new IllegalStateException("the run does not wait for an operator");
    }
    settler.validate(resolution);
  }

  @Override
  public String resolve(Resolution resolution) {
    return settler.resolve(resolution);
  }

  /**
   * QUEUED until the cluster's slot keeper grants a slot. Cancelled while queued: the request is
   * withdrawn and the run ends CANCELLED without having touched a node.
   */
  private void takeSlot(MigrateVmRequest request) {
    run.queue("waiting for a migration slot (" + request.sourceNode() + " -> " + request.targetNode() + ")");
    try {
      slots.request(new SlotRequest(Workflow.getInfo().getWorkflowId(), request.sourceNode(), null));
      Workflow.await(() -> slotGranted);
    } catch (CanceledFailure | ActivityFailure e) {
      boolean cancelled = e instanceof CanceledFailure || e.getCause() instanceof CanceledFailure;
      Workflow.newDetachedCancellationScope(() -> {
        releaseSlot();
        run.finish(cancelled ? RunState.CANCELLED : RunState.FAILED, cancelled
            ? "cancelled while queued; nothing was touched" : "no migration slot: " + FailureReason.of(e));
      }).run();
      throw e;
    }
    run.enter("check", "migration slot granted");
  }

  private void releaseTarget() {
    try {
      inventory.releaseMigrationTarget(Workflow.getInfo().getWorkflowId());
    } catch (ActivityFailure e) {
      // The hold expires with the run's age; a lost release costs capacity, not correctness.
      Workflow.getLogger(MigrateVmWorkflowImpl.class).warn("target capacity not released: {}", e.getMessage());
    }
  }

  private void releaseSlot() {
    try {
      Workflow.newExternalWorkflowStub(MigrationSlotsWorkflow.class, MigrationSlotsWorkflow.WORKFLOW_ID)
          .release(Workflow.getInfo().getWorkflowId());
    } catch (RuntimeException e) {
      // The keeper also frees the slots of closed runs by itself (its reaper).
      Workflow.getLogger(MigrateVmWorkflowImpl.class).warn("slot not released: {}", e.getMessage());
    }
  }

  /** A request without sourceNode moves the VM from where the inventory has it. */
  private MigrateVmRequest withSourceFromInventory(MigrateVmRequest request) {
    String node = inventory.vmNode(request.vmName());
    if (node == null) {
      String invalid = "sourceNode: VM '" + request.vmName() + "' is not in the inventory; name the"
          + " node it runs on";
      run.finish(RunState.FAILED, invalid);
      throw ApplicationFailure.newNonRetryableFailure(invalid, FailureTypes.INVALID_SPEC);
    }
    run.enter("check", "source node " + node + " from the inventory");
    return new MigrateVmRequest(request.vmName(), node, request.targetNode(), request.mode(),
        request.options());
  }

  private static boolean blank(String value) {
    return value == null || value.isBlank();
  }

  private MigrateVmResult move(MigrateVmRequest request) {
    String vm = request.vmName();
    MigrationOptions options = request.resolvedOptions();
    HostActivities sourceHost = host(request.sourceNode());
    HostActivities targetHost = host(request.targetNode());
    MigrationActivities sourceMigration = migration(request.sourceNode(), Duration.ofMinutes(2));
    MigrationActivities targetMigration = migration(request.targetNode(), Duration.ofMinutes(2));

    Saga saga = new Saga(new Saga.Options.Builder().setContinueWithError(true).build());
    // Each agent has its own pool: nothing is shared between nodes yet.
    boolean copyStorage = true;
    MigrationSource source = null;
    MigrationTarget target = null;
    try {
      source = sourceMigration.describeSource(vm);
      stage = MoveStage.start(mode(request), source.uuid());
      settler = new MoveSettler(run, vm, new NodeSteps(request.sourceNode()),
          new NodeSteps(request.targetNode()), inventory);
      // Also proves the target's agent polls its queue and reaches its daemon: an absent node or a
      // stopped libvirtd fails here, before anything was touched.
      DomainStatus onTarget = checkTarget(targetHost, request);
      if (!"absent".equals(onTarget.state())) {
        throw ApplicationFailure.newNonRetryableFailure(
            "node " + request.targetNode() + " already has a domain named '" + vm + "' ("
                + onTarget.state() + ")", FailureTypes.DOMAIN_CONFLICT);
      }

      // Added after the first release: runs recorded before it skip the inventory's check (0) or
      // check without holding the capacity (1).
      int capacityCheck = Workflow.getVersion("target-capacity", Workflow.DEFAULT_VERSION, 2);
      if (capacityCheck >= 1) {
        holdsTarget = capacityCheck >= 2;
        String refusal = holdsTarget
            ? inventory.reserveMigrationTarget(Workflow.getInfo().getWorkflowId(), vm, request.targetNode())
            : inventory.migrationTargetRefusal(vm, request.targetNode());
        if (refusal != null) {
          throw ApplicationFailure.newNonRetryableFailure(refusal, FailureTypes.NO_CAPACITY);
        }
      }

      run.enter("prepare-destination", request.targetNode());
      // Registered before the call (a timed-out call may have created them); undefineDomain only
      // removes a domain with our UUID.
      saga.addCompensation(targetHost::deleteDisk, vm);
      saga.addCompensation(targetHost::undefineDomain, vm, source.uuid());
      // Added after the first release: runs recorded before it mirror the whole disk.
      boolean precopy = mode(request) == MigrationMode.LIVE && copyStorage && source.diskPath() != null
          && Boolean.TRUE.equals(options.precopyDisk())
          && Workflow.getVersion("live-disk-precopy", Workflow.DEFAULT_VERSION, 1) >= 1;
      targetTouched = true;
      target = targetMigration.prepareTarget(new TargetRequest(source, copyStorage, precopy));

      MigrationOutcome outcome;
      // Cold and warm: the guest is down or paused while its files move; no libvirt job.
      OfflineMove offline = null;
      Streamed precopied = null;
      if (mode(request) == MigrationMode.COLD) {
        offline = moveCold(request, options, source, target, saga, sourceHost, sourceMigration,
            targetHost, targetMigration);
        outcome = offline.outcome();
      } else if (mode(request) == MigrationMode.WARM) {
        offline = moveWarm(request, options, source, target, saga, sourceMigration, targetHost,
            targetMigration);
        outcome = offline.outcome();
      } else {
        // An agent older than pre-copy answers without an overlay: the whole disk is mirrored.
        if (precopy && target.overlayPath() != null) {
          precopied = precopyDisk(request, options, target, saga, sourceMigration, targetMigration);
        }
        run.enter("transfer", source.memoryBytes() + " B memory"
            + (!copyStorage ? "" : precopied != null ? " + the disk's overlay"
                : " + " + source.diskCapacityBytes() + " B disk"));
        saga.addCompensation(sourceMigration::recoverSource, vm);
        transferStarted = true;
        stage = stage.handOver();
        try {
          outcome = transfer(request, options, source, target, copyStorage, precopied != null);
        } catch (ActivityFailure e) {
          if (settles() || !leftSource(sourceHost, vm)) {
            throw e; // settled below from both nodes' state
          }
          // Switch-over happened, the report of it got lost: verify decides.
          run.enter("transfer", "monitor failed after switch-over: " + FailureReason.of(e));
          outcome = new MigrationOutcome(-1, null, false);
        }
      }

      run.enter("verify", request.targetNode());
      if (settles()) {
        Settled settled = settler.settle(source.uuid(), target.diskPath(), stage, false, patience(source, options));
        return ended(request, settled, null, outcome, offline, precopied);
      }
      verifyMoved(request, sourceHost, targetHost);
      run.setNode(request.targetNode());
      if (precopied != null) {
        flatten(request);
      }
      // Cold: no migration job; the guest was down for the whole move. Warm: paused from the
      // save to the resume. The transfer engine counted the bytes of both.
      CompletedJob job = offline != null
          ? new CompletedJob(outcome.elapsedMs(), offline.bytesRaw(), outcome.elapsedMs())
          : completedJob(targetMigration, vm);

      // Added after the first release: runs whose history predates it replay without the call.
      if (Workflow.getVersion("record-move", Workflow.DEFAULT_VERSION, 1) >= 1) {
        try {
          inventory.moveVm(vm, request.targetNode(), target.diskPath());
        } catch (ActivityFailure e) {
          // The VM has moved: a stale inventory row is a note for the operator, not a rollback.
          run.enter("record", "inventory not updated: " + FailureReason.of(e));
        }
      }

      run.enter("cleanup-source", request.sourceNode());
      if (mode(request) != MigrationMode.LIVE) {
        // Live migration undefines the source itself (UNDEFINE_SOURCE); cold and warm leave it to us.
        undefineQuietly(sourceHost, vm, source.uuid());
      }
      if (mode(request) == MigrationMode.WARM) {
        discardQuietly(sourceMigration, vm);
      }
      cleanUpSource(sourceHost, vm);

      MigrationProgress last = outcome.last();
      long bytes = job.processedBytes() >= 0 ? job.processedBytes() : last == null ? -1 : last.processedBytes();
      MigrateVmResult result = new MigrateVmResult(vm, request.sourceNode(), request.targetNode(),
          outcome.elapsedMs(), job.downtimeMs(), bytes, last == null ? 0 : last.iteration(),
          outcome.forced(), offline != null ? offline.bytesOnWire()
              : precopied != null ? precopied.bytesOnWire() : -1);
      run.finish(RunState.SUCCEEDED, MoveHeadline.moved(request.targetNode(), outcome.elapsedMs(),
          job.downtimeMs(), offline == null ? -1 : offline.bytesOnWire(), offline == null ? -1 : offline.bytesRaw(),
          precopied == null ? -1 : precopied.bytesOnWire(), precopied == null ? -1 : precopied.bytesRaw(),
          null, vm));
      return result;
    } catch (ActivityFailure | CanceledFailure | ApplicationFailure e) {
      if (!settles()) {
        rollBack(saga, e, request, sourceHost, targetHost);
        throw e;
      }
      if (!targetTouched) {
        // Nothing was prepared or moved: the VM is where it was.
        run.finish(cancelled(e) ? RunState.CANCELLED : RunState.FAILED, FailureReason.of(e));
        throw e;
      }
      return settleAfter(e, request, options, source, target);
    }
  }

  /**
   * Runs recorded before the settlement (reconcile-before-undo) replay their saga; every newer
   * run ends through {@link MoveSettler}. The first call records the choice.
   */
  private static boolean settles() {
    return Workflow.getVersion("settle", Workflow.DEFAULT_VERSION, 1) >= 1;
  }

  /**
   * After a failure or a cancellation: partial receives on the target are aborted, then both nodes
   * are asked where the VM runs and the move ends there (rolled back, or finished when the guest
   * had switched over), in a detached scope so that a cancellation cannot cut it short.
   */
  private MigrateVmResult settleAfter(TemporalFailure cause, MigrateVmRequest request,
      MigrationOptions options, MigrationSource source, MigrationTarget target) {
    boolean cancelled = cancelled(cause);
    run.enter("settle", (cancelled ? "cancelled" : FailureReason.of(cause)) + "; asking both nodes where "
        + request.vmName() + " runs");
    MigrateVmResult[] result = new MigrateVmResult[1];
    Workflow.newDetachedCancellationScope(() -> {
      receives.compensate();
      Settled settled = settler.settle(stage.uuid(), target == null ? null : target.diskPath(), stage,
          cancelled, patience(source, options));
      result[0] = ended(request, settled, cause, new MigrationOutcome(-1, null, false), null, null);
    }).run();
    return result[0];
  }

  /**
   * The end of a move that went through the settlement. Moved: the result, with a note when a
   * failure or a cancel came after the switch-over (the cancel came too late: the run succeeds).
   * Anything else: the run record's headline says where the VM runs, and the run fails (or ends
   * cancelled) with it.
   */
  private MigrateVmResult ended(MigrateVmRequest request, Settled settled, TemporalFailure cause,
      MigrationOutcome outcome, OfflineMove offline, Streamed precopied) {
    String vm = request.vmName();
    boolean cancelled = cause != null && cancelled(cause);
    if (settled.outcome() == Settled.Outcome.MOVED) {
      CompletedJob job = offline != null
          ? new CompletedJob(outcome.elapsedMs(), offline.bytesRaw(), outcome.elapsedMs())
          : mode(request) == MigrationMode.LIVE ? completedJob(settler.targetLook(), vm) : new CompletedJob(-1, -1, -1);
      MigrationProgress last = outcome.last();
      long bytes = job.processedBytes() >= 0 ? job.processedBytes() : last == null ? -1 : last.processedBytes();
      MigrateVmResult result = new MigrateVmResult(vm, request.sourceNode(), request.targetNode(),
          outcome.elapsedMs(), job.downtimeMs(), bytes, last == null ? 0 : last.iteration(),
          outcome.forced(), offline != null ? offline.bytesOnWire()
              : precopied != null ? precopied.bytesOnWire() : -1);
      run.finish(RunState.SUCCEEDED, MoveHeadline.moved(request.targetNode(), outcome.elapsedMs(),
          job.downtimeMs(), offline == null ? -1 : offline.bytesOnWire(), offline == null ? -1 : offline.bytesRaw(),
          precopied == null ? -1 : precopied.bytesOnWire(), precopied == null ? -1 : precopied.bytesRaw(),
          cause == null ? null : cancelled ? MoveHeadline.TOO_LATE : FailureReason.of(cause), vm));
      return result;
    }
    String headline = MoveHeadline.notMoved(vm, settled, cause == null ? null
        : cancelled ? "cancelled" : FailureReason.of(cause));
    run.finish(cancelled ? RunState.CANCELLED : RunState.FAILED, headline);
    if (cancelled) {
      throw new CanceledFailure(headline);
    }
    throw ApplicationFailure.newNonRetryableFailureWithCause(headline, failureType(cause), cause);
  }

  /** The type of the failure that ended the move, for callers that match on it. */
  private static String failureType(TemporalFailure cause) {
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof ApplicationFailure application) {
        return application.getType();
      }
    }
    return cause == null ? FailureTypes.DOMAIN_NOT_RUNNING : FailureTypes.MIGRATION_FAILED;
  }

  private static boolean cancelled(Throwable failure) {
    return failure instanceof CanceledFailure || failure.getCause() instanceof CanceledFailure;
  }

  /** How long a libvirt job may run on without its monitor before it is aborted anyway. */
  private static Duration patience(MigrationSource source, MigrationOptions options) {
    long data = source == null ? 0 : source.memoryBytes() + source.diskCapacityBytes();
    return MigrationPolicy.completionTimeout(data, options.completionTimeoutSecondsPerGiB())
        .multipliedBy(2).plus(TRANSFER_SLACK);
  }

  @Override
  public RunStatus status() {
    return run == null ? null : run.status();
  }

  @Override
  public void forceComplete() {
    if (inTransfer) {
      forceRequested = true;
    }
  }

  /**
   * Runs the monitor activity and, while it runs, forwards a force-complete signal to the source
   * agent as its own short activity (the monitor cannot receive anything from the workflow).
   */
  private MigrationOutcome transfer(MigrateVmRequest request, MigrationOptions options,
      MigrationSource source, MigrationTarget target, boolean copyStorage, boolean incremental) {
    long data = source.memoryBytes() + (copyStorage ? source.diskCapacityBytes() : 0);
    Duration limit = MigrationPolicy.completionTimeout(data, options.completionTimeoutSecondsPerGiB())
        .multipliedBy(2).plus(TRANSFER_SLACK);
    MigrationActivities monitor = Workflow.newActivityStub(MigrationActivities.class,
        ActivityOptions.newBuilder()
            .setTaskQueue(TaskQueues.host(request.sourceNode()))
            .setScheduleToStartTimeout(StepOptions.HOST_SCHEDULE_TO_START)
            .setStartToCloseTimeout(limit)
            .setHeartbeatTimeout(MONITOR_HEARTBEAT)
            // Rollback must not start before the agent has aborted the libvirt job.
            .setCancellationType(ActivityCancellationType.WAIT_CANCELLATION_COMPLETED)
            // A retry never starts a second migration: it re-attaches to the job libvirt runs (a
            // peer-to-peer job goes on without the agent) or reports how it ended. So a heartbeat
            // lost with a dead agent is retried on the restarted one; libvirt's own failures are
            // non-retryable and settled from both nodes.
            .setRetryOptions(RetryOptions.newBuilder()
                .setInitialInterval(Duration.ofSeconds(1))
                .setMaximumInterval(Duration.ofSeconds(5))
                .setMaximumAttempts(MONITOR_ATTEMPTS)
                .build())
            .build());
    MigrationActivities forcer = migration(request.sourceNode(), Duration.ofSeconds(30));
    inTransfer = true;
    try {
      Promise<MigrationOutcome> done = Async.function(monitor::migrateLive, new LiveMigrationRequest(
          request.vmName(), target.migrationUri(), target.destXml(), copyStorage, options, incremental));
      boolean forced = false;
      while (true) {
        try {
          Workflow.await(() -> done.isCompleted() || forceRequested);
        } catch (CanceledFailure cancelled) {
          // The await gives up at once, the activity does not: rollback must wait until the agent
          // has aborted the libvirt job, or it would undo the target under a running migration.
          // The abort itself goes as its own activity at once: the monitor hears of the
          // cancellation only with its next heartbeat's answer.
          Workflow.newDetachedCancellationScope(() -> {
            if (settles()) {
              run.enter("transfer", "cancel requested: " + abortNow(request));
            }
            awaitQuietly(done);
          }).run();
          throw cancelled;
        }
        if (done.isCompleted()) {
          return done.get();
        }
        if (forceRequested && !forced) {
          forced = true;
          run.enter("transfer", "force-complete requested");
          forcer.forceComplete(request.vmName());
        }
        forceRequested = false;
      }
    } finally {
      inTransfer = false;
    }
  }

  /**
   * Live pre-copy of a disk that is not shared: the guest's writes go to an overlay from now on,
   * the disk below it streams to the target with the transfer engine while the guest runs, and
   * the target stacks an empty overlay on the copy, so that libvirt then mirrors only the overlay
   * (what the guest wrote meanwhile). Undone on the source by merging the overlay back.
   */
  private Streamed precopyDisk(MigrateVmRequest request, MigrationOptions options,
      MigrationTarget target, Saga saga, MigrationActivities sourceMigration,
      MigrationActivities targetMigration) {
    String vm = request.vmName();
    run.enter("precopy-disk", request.sourceNode() + " -> " + request.targetNode() + ", codec "
        + options.transferCodec());
    // Registered first: a freeze that timed out may have put the overlay on.
    MigrationActivities sourceCommit = committing(request.sourceNode());
    saga.addCompensation(sourceCommit::commitOverlay, vm);
    stage = stage.frozen();
    FrozenDisk frozen = sourceMigration.freezeDisk(vm);
    Streamed streamed = streamFiles(request, options, saga,
        List.of(new FileMove("disk", frozen.basePath(), target.diskPath(), true)));
    targetMigration.stackOverlay(vm);
    run.enter("precopy-disk", streamed.bytesRaw() + " B pre-copied with " + streamed.bytesOnWire()
        + " B on the wire; the guest's writes since are left to mirror");
    return streamed;
  }

  /**
   * After a pre-copied move the guest runs on the target from the overlay: merge it into the disk
   * below. A failure leaves a working two-image chain, a note rather than a reason to move back.
   */
  private void flatten(MigrateVmRequest request) {
    run.enter("flatten", request.targetNode());
    try {
      committing(request.targetNode()).commitOverlay(request.vmName());
    } catch (ActivityFailure e) {
      run.enter("flatten", "the overlay stays under " + request.vmName() + ": " + FailureReason.of(e));
    }
  }

  /** commitOverlay waits for the block commit to catch up and heartbeats while it does. */
  private static MigrationActivities committing(String node) {
    return Workflow.newActivityStub(MigrationActivities.class, ActivityOptions.newBuilder()
        .setTaskQueue(TaskQueues.host(node))
        .setScheduleToStartTimeout(StepOptions.HOST_SCHEDULE_TO_START)
        .setStartToCloseTimeout(Duration.ofMinutes(35))
        .setHeartbeatTimeout(Duration.ofSeconds(30))
        .setRetryOptions(StepOptions.RETRY)
        .build());
  }

  /** Asks the source's agent to abort the migration job now; a dead agent costs a few seconds. */
  private static String abortNow(MigrateVmRequest request) {
    MigrationActivities abort = Workflow.newActivityStub(MigrationActivities.class, ActivityOptions.newBuilder()
        .setTaskQueue(TaskQueues.host(request.sourceNode()))
        .setScheduleToStartTimeout(Duration.ofSeconds(5))
        .setStartToCloseTimeout(Duration.ofSeconds(15))
        .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
        .build());
    try {
      return abort.abortMigration(request.vmName());
    } catch (ActivityFailure e) {
      return "the abort did not reach " + request.sourceNode() + ": " + FailureReason.of(e);
    }
  }

  private static void awaitQuietly(Promise<?> promise) {
    try {
      promise.get();
    } catch (RuntimeException ignored) {
      // Only waiting for it to end: its cancellation or failure is the expected outcome.
    }
  }

  /**
   * Cold: stop on the source, move the disk, define and start on the target. Rollback at source is
   * starting the VM there again; the target's domain and disk are already registered for undoing.
   * The disk travels with the transfer engine (compressed, resumable); runs recorded before that
   * had the target copy it from the source's path, which needs storage both nodes can read.
   */
  private OfflineMove moveCold(MigrateVmRequest request, MigrationOptions options,
      MigrationSource source, MigrationTarget target, Saga saga, HostActivities sourceHost,
      MigrationActivities sourceMigration, HostActivities targetHost,
      MigrationActivities targetMigration) {
    String vm = request.vmName();
    long start = Workflow.currentTimeMillis();
    run.enter("shutdown", request.sourceNode());
    saga.addCompensation(sourceMigration::recoverSource, vm);
    MigrationActivities waiting = migration(request.sourceNode(),
        Duration.ofSeconds(options.shutdownTimeoutSeconds()).plus(Duration.ofMinutes(2)));
    stage = stage.stopped();
    waiting.shutdownForMove(vm, options.shutdownTimeoutSeconds());
    Streamed streamed = new Streamed(-1, -1);
    if (source.diskPath() != null) {
      if (Workflow.getVersion("cold-transfer-engine", Workflow.DEFAULT_VERSION, 1) >= 1) {
        run.enter("transfer", source.diskCapacityBytes() + " B disk, codec " + options.transferCodec());
        streamed = streamFiles(request, options, saga,
            List.of(new FileMove("disk", source.diskPath(), target.diskPath(), true)));
      } else {
        run.enter("copy-disk", source.diskCapacityBytes() + " B");
        migration(request.targetNode(), Duration.ofMinutes(30)).copyDisk(vm, source.diskPath());
      }
    }
    run.enter("start-on-target", request.targetNode());
    // Again, so that a rollback stops the target's copy before it starts the source's.
    saga.addCompensation(targetHost::undefineDomain, vm, source.uuid());
    stage = stage.handOver();
    targetMigration.defineIncoming(vm, source.uuid(), target.destXml());
    targetHost.startDomain(vm);
    try {
      verifying(request.targetNode()).verifyRunning(vm);
    } catch (ActivityFailure e) {
      if (settles() && FailureTypes.DOMAIN_NOT_RUNNING.equals(failureType(e))) {
        // The copy did not come up there: power it off, so that the source can start again
        // without two copies running at once; the settlement then brings the source back.
        run.enter("start-on-target", vm + " did not come up on " + request.targetNode()
            + "; powering that copy off: " + FailureReason.of(e));
        stopQuietly(targetHost, vm);
      }
      throw e;
    }
    return new OfflineMove(new MigrationOutcome(Workflow.currentTimeMillis() - start, null, false),
        streamed.bytesRaw(), streamed.bytesOnWire());
  }

  /**
   * What a warm or cold move did.
   *
   * @param outcome elapsedMs is the guest's pause (warm: from the save to the resume on the
   *     target) or outage (cold: from the shutdown to the start on the target)
   * @param bytesRaw the files' sizes (warm: state file and disk; cold: disk); -1 when unknown
   * @param bytesOnWire what the transfer engine sent for them, compressed, both directions
   */
  private record OfflineMove(MigrationOutcome outcome, long bytesRaw, long bytesOnWire) {}

  /**
   * Warm: pause and save the guest's state on the source, stream the state file and the disk to
   * the target with the transfer engine (compressed), restore there from the file, resume.
   * Rollback at source restores the guest from its own state file; on the target the transfers
   * are aborted and the state file, the domain and the disk removed.
   */
  private OfflineMove moveWarm(MigrateVmRequest request, MigrationOptions options,
      MigrationSource source, MigrationTarget target, Saga saga,
      MigrationActivities sourceMigration, HostActivities targetHost,
      MigrationActivities targetMigration) {
    String vm = request.vmName();
    if (target.statePath() == null) {
      throw ApplicationFailure.newNonRetryableFailure("the agent of node " + request.targetNode()
          + " predates warm mode (no state path): update it or move " + vm + " live or cold",
          FailureTypes.INVALID_SPEC);
    }
    run.enter("suspend", request.sourceNode());
    long start = Workflow.currentTimeMillis();
    // Registered before the save: a save that timed out may still have stopped the guest.
    saga.addCompensation(sourceMigration::recoverSource, vm);
    stage = stage.stopped();
    SavedState saved = migration(request.sourceNode(), Duration.ofMinutes(10)).saveState(vm);

    run.enter("transfer", saved.sizeBytes() + " B state"
        + (source.diskPath() == null ? "" : " + disk") + ", codec " + options.transferCodec());
    saga.addCompensation(targetMigration::discardSavedState, vm);
    // The state file is new on the target: nothing to compare against.
    List<FileMove> files = new ArrayList<>();
    files.add(new FileMove("state", saved.path(), target.statePath(), false));
    if (source.diskPath() != null) {
      files.add(new FileMove("disk", source.diskPath(), target.diskPath(), true));
    }
    Streamed streamed = streamFiles(request, options, saga, files);

    run.enter("restore", request.targetNode());
    // Again, so that a rollback stops the target's copy before it restores the source's.
    saga.addCompensation(targetHost::undefineDomain, vm, source.uuid());
    stage = stage.handOver();
    migration(request.targetNode(), Duration.ofMinutes(10)).restoreIncoming(new RestoreRequest(
        vm, source.uuid(), target.statePath(), target.diskPath(), target.destXml()));
    run.enter("resume", request.targetNode());
    targetMigration.resume(vm);
    long paused = Workflow.currentTimeMillis() - start;
    return new OfflineMove(new MigrationOutcome(paused, null, false), streamed.bytesRaw(),
        streamed.bytesOnWire());
  }

  /** A file the transfer engine moves from the source node to the target node. */
  private record FileMove(String what, String sourcePath, String targetPath, boolean delta) {}

  /** What the transfer engine moved for a set of files: raw bytes and bytes on the wire. */
  private record Streamed(long bytesRaw, long bytesOnWire) {}

  /**
   * Streams files from the source's agent to the target's with the transfer engine, compressed
   * with the run's codec, all at once (one connection each). Every receive is registered for
   * aborting before it is opened; the files are committed on the target only after all arrived.
   */
  private Streamed streamFiles(MigrateVmRequest request, MigrationOptions options, Saga saga,
      List<FileMove> files) {
    TransferOptions codec = TransferOptions.defaults().withCodec(options.transferCodec());
    if (options.bandwidthMiBps() > 0) {
      // The cap applies to each stream, as on the wire.
      codec = codec.withBandwidthCap(options.bandwidthMiBps() * 1024L * 1024L);
    }
    TransferActivities receiver = transfers(request.targetNode(), Duration.ofMinutes(10), null);
    TransferActivities sender = transfers(request.sourceNode(), Duration.ofMinutes(30), Duration.ofSeconds(30));
    // All ids first, then the receives: ids and activity ids draw from the same replayed random
    // sequence, and recorded histories drew them in this order.
    List<TransferRequest> transfers = new ArrayList<>();
    for (FileMove file : files) {
      transfers.add(new TransferRequest(transferId(request.vmName(), file.what()),
          file.sourcePath(), request.targetNode(), file.targetPath(),
          file.delta() ? codec : codec.withDelta(false)));
    }
    List<ReceiveEndpoint> endpoints = new ArrayList<>();
    for (TransferRequest transfer : transfers) {
      endpoints.add(openReceive(receiver, transfer, saga));
    }
    List<Promise<TransferResult>> sent = new ArrayList<>();
    for (int i = 0; i < transfers.size(); i++) {
      sent.add(Async.function(sender::send, transfers.get(i), endpoints.get(i)));
    }
    List<TransferResult> results = new ArrayList<>();
    for (Promise<TransferResult> promise : sent) {
      results.add(promise.get());
    }
    long raw = 0;
    long wire = 0;
    for (TransferResult result : results) {
      receiver.closeReceive(CloseReceiveRequest.commit(result));
      raw += result.bytesRaw();
      wire += result.bytesOnWire();
    }
    return new Streamed(raw, wire);
  }

  /** The abort is registered first: an openReceive that timed out may have opened it. */
  private ReceiveEndpoint openReceive(TransferActivities receiver, TransferRequest request,
      Saga saga) {
    saga.addCompensation(receiver::closeReceive, CloseReceiveRequest.abort(request.transferId()));
    receives.addCompensation(receiver::closeReceive, CloseReceiveRequest.abort(request.transferId()));
    return receiver.openReceive(request);
  }

  /** Unique per run and file; the run's random UUID replays to the same value. */
  private static String transferId(String vm, String what) {
    return "migrate-" + vm + "-" + what + "-" + Workflow.randomUUID();
  }

  private static TransferActivities transfers(String node, Duration startToClose, Duration heartbeat) {
    ActivityOptions.Builder options = ActivityOptions.newBuilder()
        .setTaskQueue(TaskQueues.host(node))
        .setScheduleToStartTimeout(StepOptions.HOST_SCHEDULE_TO_START)
        .setStartToCloseTimeout(startToClose)
        // Every retry of send resumes from the receiver's journal.
        .setRetryOptions(StepOptions.RETRY);
    if (heartbeat != null) {
      options.setHeartbeatTimeout(heartbeat);
    }
    return Workflow.newActivityStub(TransferActivities.class, options.build());
  }

  private static void stopQuietly(HostActivities host, String vm) {
    try {
      host.stopDomain(vm);
    } catch (ActivityFailure e) {
      Workflow.getLogger(MigrateVmWorkflowImpl.class).warn("{} not powered off: {}", vm, FailureReason.of(e));
    }
  }

  private static void discardQuietly(MigrationActivities migration, String vm) {
    try {
      migration.discardSavedState(vm);
    } catch (ActivityFailure e) {
      Workflow.getLogger(MigrateVmWorkflowImpl.class).warn("saved state of {} left: {}", vm, FailureReason.of(e));
    }
  }

  private static void undefineQuietly(HostActivities host, String vm, String uuid) {
    try {
      host.undefineDomain(vm, uuid);
    } catch (ActivityFailure e) {
      Workflow.getLogger(MigrateVmWorkflowImpl.class).warn("source definition of {} left: {}", vm, FailureReason.of(e));
    }
  }

  private static MigrationMode mode(MigrateVmRequest request) {
    return request.mode() == null ? MigrationMode.LIVE : request.mode();
  }

  /** verifyRunning waits for the guest's boot and heartbeats while it does. */
  private static HostActivities verifying(String node) {
    return Workflow.newActivityStub(HostActivities.class, ActivityOptions.newBuilder()
        .setTaskQueue(TaskQueues.host(node))
        .setScheduleToStartTimeout(StepOptions.HOST_SCHEDULE_TO_START)
        .setStartToCloseTimeout(Duration.ofMinutes(5))
        .setHeartbeatTimeout(Duration.ofSeconds(30))
        .setRetryOptions(StepOptions.RETRY)
        .build());
  }

  /** Exactly one running copy: on the target; the source no longer runs it. */
  private static void verifyMoved(MigrateVmRequest request, HostActivities sourceHost,
      HostActivities targetHost) {
    DomainStatus target = targetHost.status(request.vmName());
    DomainStatus source = sourceHost.status(request.vmName());
    if (!target.isRunning() || source.isRunning()) {
      throw ApplicationFailure.newNonRetryableFailure(
          request.vmName() + " is " + source.state() + " on " + request.sourceNode() + " and "
              + target.state() + " on " + request.targetNode() + " after the transfer; expected it"
              + " to run on the target only", FailureTypes.DOMAIN_NOT_RUNNING);
    }
  }

  private static DomainStatus checkTarget(HostActivities targetHost, MigrateVmRequest request) {
    try {
      return targetHost.status(request.vmName());
    } catch (ActivityFailure e) {
      throw ApplicationFailure.newNonRetryableFailure("target node " + request.targetNode()
          + " did not answer the check (" + FailureReason.of(e) + "); " + request.vmName()
          + " stays on " + request.sourceNode(), FailureTypes.NODE_UNAVAILABLE);
    }
  }

  /** Statistics are a report, not a step: their absence must not undo a finished migration. */
  private static CompletedJob completedJob(MigrationActivities target, String vm) {
    try {
      return target.completedJob(vm);
    } catch (ActivityFailure e) {
      Workflow.getLogger(MigrateVmWorkflowImpl.class).warn("no job statistics for {}: {}", vm, FailureReason.of(e));
      return new CompletedJob(-1, -1, -1);
    }
  }

  /**
   * The VM runs on the target now: a failure here leaves a stray disk on the source, never a reason
   * to move the VM back.
   */
  private void cleanUpSource(HostActivities sourceHost, String vm) {
    try {
      sourceHost.deleteDisk(vm);
    } catch (ActivityFailure e) {
      run.enter("cleanup-source", "left the source disk: " + FailureReason.of(e));
    }
  }

  /*
   * After a failed or cancelled transfer, libvirt leaves one of these:
   *  - the job failed or was aborted before switch-over: the domain runs (or is paused) on the
   *    source; the target has at most a half-filled disk and an inactive definition;
   *  - the switch-over happened but the activity failed afterwards (agent died, heartbeat lost):
   *    the domain is gone from the source and runs on the target.
   * The source is the signal we trust: only while it still has the domain do we undo the target,
   * because the compensations there would otherwise destroy the only running copy. Its UUID is the
   * same on both sides, so undefineDomain's UUID guard cannot tell the copies apart.
   */
  private void rollBack(Saga saga, TemporalFailure cause, MigrateVmRequest request,
      HostActivities sourceHost, HostActivities targetHost) {
    String vm = request.vmName();
    boolean cancelled = cause instanceof CanceledFailure
        || cause.getCause() instanceof CanceledFailure;
    Workflow.newDetachedCancellationScope(() -> {
      if (transferStarted && leftSource(sourceHost, vm)) {
        recordCopies(request, sourceHost, targetHost);
        run.finish(cancelled ? RunState.CANCELLED : RunState.FAILED, "not rolled back: " + vm
            + " has left the source and runs only on the target; " + FailureReason.of(cause));
        return;
      }
      run.enter("rollback", FailureReason.of(cause));
      saga.compensate();
      recordCopies(request, sourceHost, targetHost);
      run.finish(cancelled ? RunState.CANCELLED : RunState.FAILED, FailureReason.of(cause));
    }).run();
  }

  /**
   * Every outcome ends with exactly one running copy of the VM: after a rollback (or a switch-over
   * whose report was lost) both nodes are asked, and the run records what they said, loudly when
   * it is not exactly one.
   */
  private void recordCopies(MigrateVmRequest request, HostActivities sourceHost, HostActivities targetHost) {
    // Added after the first release: runs recorded before it ended without the check.
    if (Workflow.getVersion("rollback-copy-check", Workflow.DEFAULT_VERSION, 1) < 1) {
      return;
    }
    String onSource = stateOn(sourceHost, request.vmName());
    String onTarget = stateOn(targetHost, request.vmName());
    run.enter("verify", RunningCopies.describe(request.vmName(), request.sourceNode(), onSource,
        request.targetNode(), onTarget));
  }

  /** The VM's state on a node, or {@code unknown (...)} when its agent does not answer. */
  private static String stateOn(HostActivities host, String vm) {
    try {
      DomainStatus status = host.status(vm);
      return status == null ? "unknown" : status.state();
    } catch (ActivityFailure e) {
      return "unknown (" + FailureReason.of(e) + ")";
    }
  }

  /** Whether the source no longer has the domain; unknown (agent unreachable) counts as no. */
  private static boolean leftSource(HostActivities sourceHost, String vm) {
    try {
      return "absent".equals(sourceHost.status(vm).state());
    } catch (ActivityFailure e) {
      return false;
    }
  }

  private String invalid(MigrateVmRequest request) {
    if (request == null) {
      return "request: send vmName, sourceNode, targetNode and mode";
    }
    if (request.vmName() == null || request.vmName().isBlank()) {
      return "vmName: name the VM to move";
    }
    if (request.targetNode() == null || request.targetNode().isBlank()) {
      return "targetNode: name the node to move the VM to";
    }
    if (!blank(request.sourceNode()) && request.sourceNode().equals(request.targetNode())) {
      return "targetNode: must differ from sourceNode (" + request.sourceNode() + ")";
    }
    // Runs recorded before warm mode existed rejected it here, without a command.
    if (mode(request) == MigrationMode.WARM
        && Workflow.getVersion("warm-mode", Workflow.DEFAULT_VERSION, 1) == Workflow.DEFAULT_VERSION) {
      return "mode: warm is not implemented yet; use live or cold";
    }
    return null;
  }

  private static HostActivities host(String node) {
    return Workflow.newActivityStub(HostActivities.class, ActivityOptions.newBuilder()
        .setTaskQueue(TaskQueues.host(node))
        .setScheduleToStartTimeout(StepOptions.HOST_SCHEDULE_TO_START)
        .setStartToCloseTimeout(Duration.ofMinutes(2))
        .setRetryOptions(StepOptions.RETRY)
        .build());
  }

  private static MigrationActivities migration(String node, Duration startToClose) {
    return Workflow.newActivityStub(MigrationActivities.class, ActivityOptions.newBuilder()
        .setTaskQueue(TaskQueues.host(node))
        .setScheduleToStartTimeout(StepOptions.HOST_SCHEDULE_TO_START)
        .setStartToCloseTimeout(startToClose)
        .setRetryOptions(StepOptions.RETRY)
        .build(), Map.of());
  }
}
