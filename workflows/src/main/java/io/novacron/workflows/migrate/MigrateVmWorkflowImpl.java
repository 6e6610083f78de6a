package io.novacron.workflows.migrate;

import io.novacron.workflows.FailureTypes;
import io.novacron.workflows.image.ImageEnsurer;
import io.novacron.workflows.image.ImageSource;
import io.novacron.workflows.FieldError;
import io.novacron.workflows.StepOptions;
import io.novacron.workflows.host.DomainStatus;
import io.novacron.workflows.node.InventoryActivities;
import io.novacron.workflows.run.FailureReason;
import io.novacron.workflows.run.RunState;
import io.novacron.workflows.run.RunStatus;
import io.novacron.workflows.run.RunTracker;
import io.temporal.activity.ActivityOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.CompletablePromise;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/**
 * MigrateVm: check (validate, source from the inventory, a slot, the source's domain, the target's
 * agent and capacity) -> prepare the target -> the mode's move ({@link LiveMove}, {@link WarmMove},
 * {@link ColdMove}) -> the end, always from what both nodes hold ({@link MoveSettler},
 * {@link MoveEnding}); runs recorded before that end as they did ({@link LegacyEnding}). The
 * target's capacity and the slot are released in every outcome.
 */
public class MigrateVmWorkflowImpl implements MigrateVmWorkflow {
  /** Control activities run where this workflow runs (the control plane's queue). */
  private final InventoryActivities inventory = Workflow.newActivityStub(InventoryActivities.class,
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofSeconds(30))
          .setRetryOptions(StepOptions.RETRY)
          .build());
  private final MigrationSlot slot = new MigrationSlot();
  private final LiveMove.ForceRequests force = new LiveMove.ForceRequests();

  private RunTracker run;
  /** Set once the source is described: ends every outcome of the move from both nodes' state. */
  private MoveSettler settler;
  private boolean holdsTarget;
  /** The run holds (or waits for) a migration slot. */
  private boolean slotted;
  /** The target's hold and the slot, released once the VM had moved ({@link #releaseWhenMoved}); else null. */
  private Promise<Void> released;
  /** The check's read-only questions, asked while queued for the slot; null where not. */
  private CheckAnswers early;
  /** The target's base image, asked by the overlapped check; null where the run asks in prepare. */
  private Promise<ImageSource> imageSource;

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
    slotted = Workflow.getVersion("migration-slots", Workflow.DEFAULT_VERSION, 1) >= 1;
    // Added after the first release: runs recorded before it asked every question of the check
    // after the slot was granted, and made their Move (whose stubs ask getVersion) only then.
    // The read-only questions go out now, while the run waits for its slot.
    Move move = null;
    if (slotted && Workflow.getVersion("ask-while-queued", Workflow.DEFAULT_VERSION, 1) >= 1) {
      move = new Move(request, run);
      early = CheckAnswers.ask(move, inventory);
    }
    if (slotted) {
      slot.take(run, request);
    }
    try {
      return move(move != null ? move : new Move(request, run));
    } finally {
      // Every outcome frees the target's capacity and the slot: success (the VM's own capacity
      // has moved to the target by then), failure, cancellation (hence detached).
      if (released != null) {
        // Sent while the source was cleaned up: done by now, or nearly.
        Workflow.newDetachedCancellationScope(() -> released.get()).run();
      } else if (Workflow.getVersion("overlap-release", Workflow.DEFAULT_VERSION, 1) >= 1) {
        // Added after the first release: runs recorded before it released one after the other.
        Workflow.newDetachedCancellationScope(() -> releaseBoth(holdsTarget).get()).run();
      } else {
        if (holdsTarget) {
          Workflow.newDetachedCancellationScope(this::releaseTarget).run();
        }
        if (slotted) {
          Workflow.newDetachedCancellationScope(slot::release).run();
        }
      }
    }
  }

  private MigrateVmResult move(Move move) {
    Moved moved;
    try {
      check(move);
      prepare(move);
      moved = switch (move.mode()) {
        case COLD -> new ColdMove(move).run();
        case WARM -> new WarmMove(move).run();
        // An agent older than pre-copy answers without an overlay: the whole disk is mirrored.
        case LIVE -> new LiveMove(move, force).run(move.precopy && move.prepared.overlayPath() != null);
      };
      move.run.enter("verify", move.request.targetNode());
      MoveEnding ending = new MoveEnding(move);
      // Added after the first release: runs recorded before it read the job's statistics after
      // the settlement. They are a report, read-only, ready on the target once libvirt's job has
      // completed: asked beside the settlement's look instead of after it.
      if (move.mode() == MigrationMode.LIVE
          && Workflow.getVersion("overlap-verify", Workflow.DEFAULT_VERSION, 1) >= 1) {
        ending.readJobEarly(move.target.look);
      }
      if (settles()) {
        Settled settled = settler.settle(move.described.uuid(), move.prepared.diskPath(), move.stage, false,
            patience(move.described, move.options));
        return ending.ended(settled, null, moved, move.target.look);
      }
      return new LegacyEnding(move, inventory).succeeded(moved, ending);
    } catch (ActivityFailure | CanceledFailure | ApplicationFailure e) {
      if (!settles()) {
        new LegacyEnding(move, inventory).rollBack(e);
        throw e;
      }
      if (!move.targetTouched) {
        // Nothing was prepared or moved: the VM is where it was.
        run.finish(MoveEnding.cancelled(e) ? RunState.CANCELLED : RunState.FAILED, FailureReason.of(e));
        throw e;
      }
      return settleAfter(move, e);
    }
  }

  /**
   * The source runs the domain; the target's agent answers (30 s schedule-to-start) and has no
   * domain of that name; the inventory's placement rules accept the target and hold its capacity.
   */
  private void check(Move move) {
    // Added after the first release: runs recorded before it asked one node at a time.
    if (Workflow.getVersion("overlap-check", Workflow.DEFAULT_VERSION, 1) >= 1) {
      checkAtOnce(move);
      return;
    }
    String vm = move.vm();
    move.described = move.source.migration.describeSource(vm);
    move.stage = MoveStage.start(move.mode(), move.described.uuid());
    settler = new MoveSettler(run, vm, move.source, move.target, inventory, this::releaseWhenMoved);
    // Also proves the target's agent polls its queue and reaches its daemon: an absent node or a
    // stopped libvirtd fails here, before anything was touched.
    DomainStatus onTarget;
    try {
      onTarget = move.target.host.status(vm);
    } catch (ActivityFailure e) {
      throw ApplicationFailure.newNonRetryableFailure("target node " + move.request.targetNode()
          + " did not answer the check (" + FailureReason.of(e) + "); " + vm
          + " stays on " + move.request.sourceNode(), FailureTypes.NODE_UNAVAILABLE);
    }
    if (!"absent".equals(onTarget.state())) {
      throw ApplicationFailure.newNonRetryableFailure("node " + move.request.targetNode()
          + " already has a domain named '" + vm + "' (" + onTarget.state() + ")", FailureTypes.DOMAIN_CONFLICT);
    }
    // Added after the first release: runs recorded before it skip the inventory's check (0) or
    // check without holding the capacity (1).
    int capacityCheck = Workflow.getVersion("target-capacity", Workflow.DEFAULT_VERSION, 2);
    if (capacityCheck >= 1) {
      holdsTarget = capacityCheck >= 2;
      String refusal = holdsTarget
          ? inventory.reserveMigrationTarget(Workflow.getInfo().getWorkflowId(), vm, move.request.targetNode())
          : inventory.migrationTargetRefusal(vm, move.request.targetNode());
      if (refusal != null) {
        throw ApplicationFailure.newNonRetryableFailure(refusal, FailureTypes.NO_CAPACITY);
      }
    }
  }

  /**
   * The same check as {@link #check}, its questions asked at once instead of one after the other
   * (each is a round trip to a worker): the source's description, the target's domain, the
   * inventory's hold on the target's capacity, and which base image the target needs (for
   * {@link #ensureImage}). None of them touches a node. All are waited for before any answer is
   * judged, so that a hold taken beside a failing question is released in the run's end, not
   * after it; the answers are judged in the old order (source, target, capacity).
   */
  private void checkAtOnce(Move move) {
    String vm = move.vm();
    String targetNode = move.request.targetNode();
    Promise<MigrationSource> described;
    Promise<DomainStatus> onTarget;
    Promise<String> refusal;
    if (early != null && early.freshAt(Workflow.currentTimeMillis())) {
      // Asked while queued (and recent): only the hold is left to take, now that the slot is ours.
      described = early.described();
      onTarget = early.onTarget();
      imageSource = early.image();
      holdsTarget = true;
      refusal = Async.function(inventory::reserveMigrationTarget, Workflow.getInfo().getWorkflowId(), vm, targetNode);
    } else {
      described = Async.function(move.source.migration::describeSource, vm);
      onTarget = Async.function(move.target.host::status, vm);
      // Released in every outcome from here on (migrate's finally), even when another answer fails.
      holdsTarget = true;
      refusal = Async.function(inventory::reserveMigrationTarget, Workflow.getInfo().getWorkflowId(), vm, targetNode);
      imageSource = Async.function(inventory::migrationImageSource, vm, targetNode);
    }
    Workflow.await(() -> described.isCompleted() && onTarget.isCompleted() && refusal.isCompleted()
        && imageSource.isCompleted());
    move.described = described.get();
    move.stage = MoveStage.start(move.mode(), move.described.uuid());
    settler = new MoveSettler(run, vm, move.source, move.target, inventory, this::releaseWhenMoved);
    judgeTarget(move, onTarget);
    String refused = refusal.get();
    if (refused != null) {
      throw ApplicationFailure.newNonRetryableFailure(refused, FailureTypes.NO_CAPACITY);
    }
  }

  /** The target's agent answered and holds no domain of the VM's name. */
  private static void judgeTarget(Move move, Promise<DomainStatus> answer) {
    DomainStatus onTarget;
    try {
      onTarget = answer.get();
    } catch (ActivityFailure e) {
      throw ApplicationFailure.newNonRetryableFailure("target node " + move.request.targetNode()
          + " did not answer the check (" + FailureReason.of(e) + "); " + move.vm()
          + " stays on " + move.request.sourceNode(), FailureTypes.NODE_UNAVAILABLE);
    }
    if (!"absent".equals(onTarget.state())) {
      throw ApplicationFailure.newNonRetryableFailure("node " + move.request.targetNode()
          + " already has a domain named '" + move.vm() + "' (" + onTarget.state() + ")",
          FailureTypes.DOMAIN_CONFLICT);
    }
  }

  /** An empty volume of the source disk's size and the source's XML rewritten to the target's paths. */
  private void prepare(Move move) {
    String vm = move.vm();
    move.run.enter("prepare-destination", move.request.targetNode());
    ensureImage(move);
    // Registered before the call (a timed-out call may have created them); undefineDomain only
    // removes a domain with our UUID.
    move.undo.addCompensation(move.target.host::deleteDisk, vm);
    move.undo.addCompensation(move.target.host::undefineDomain, vm, move.described.uuid());
    // Added after the first release: runs recorded before it mirror the whole disk.
    move.precopy = move.mode() == MigrationMode.LIVE && move.described.diskPath() != null
        && Boolean.TRUE.equals(move.options.precopyDisk())
        && Workflow.getVersion("live-disk-precopy", Workflow.DEFAULT_VERSION, 1) >= 1;
    // Added after the first release: runs recorded before it pre-copied every disk unless asked
    // not to. Now a request that does not say leaves it to the disk (PrecopyPolicy).
    Boolean asked = move.request.options() == null ? null : move.request.options().precopyDisk();
    if (move.precopy && asked == null
        && Workflow.getVersion("precopy-by-disk", Workflow.DEFAULT_VERSION, 1) >= 1) {
      move.precopy = PrecopyPolicy.precopy(null, move.described, move.options.bandwidthMiBps());
    }
    move.targetTouched = true;
    // Every agent has a pool of its own: the disk is always copied.
    move.prepared = move.target.migration.prepareTarget(new TargetRequest(move.described, true, move.precopy));
  }

  /**
   * The VM's disk is an overlay of a base image: the target must hold that image before the disk
   * arrives (the agent rebases the overlay onto its own copy). A registered image the target lacks
   * is pulled there first, verified by digest; the target is not touched yet if that fails.
   */
  private void ensureImage(Move move) {
    // Added after the first release: runs recorded before it never asked.
    if (Workflow.getVersion("ensure-image", Workflow.DEFAULT_VERSION, 1) < 1) {
      return;
    }
    // The overlapped check asked already.
    ImageSource image = imageSource != null ? imageSource.get()
        : inventory.migrationImageSource(move.vm(), move.request.targetNode());
    if (image != null) {
      move.run.enter("pull-image", image.image() + " to " + move.request.targetNode());
      new ImageEnsurer().ensure(move.request.targetNode(), image);
      move.run.enter("prepare-destination", move.request.targetNode());
    }
  }

  /**
   * After a failure or a cancellation: partial receives on the target are aborted, then both nodes
   * are asked where the VM runs and the move ends there (rolled back, or finished when the guest
   * had switched over), in a detached scope so that a cancellation cannot cut it short.
   */
  private MigrateVmResult settleAfter(Move move, TemporalFailure cause) {
    boolean cancelled = MoveEnding.cancelled(cause);
    run.enter("settle", (cancelled ? "cancelled" : FailureReason.of(cause)) + "; asking both nodes where "
        + move.vm() + " runs");
    MigrateVmResult[] result = new MigrateVmResult[1];
    Workflow.newDetachedCancellationScope(() -> {
      move.receives.compensate();
      Settled settled = settler.settle(move.stage.uuid(), move.prepared == null ? null : move.prepared.diskPath(),
          move.stage, cancelled, patience(move.described, move.options));
      result[0] = new MoveEnding(move).ended(settled, cause, Moved.UNKNOWN, move.target.look);
    }).run();
    return result[0];
  }

  /**
   * Runs recorded before the settlement (reconcile-before-undo) replay their saga; every newer
   * run ends through {@link MoveSettler}. The first call records the choice.
   */
  static boolean settles() {
    return Workflow.getVersion("settle", Workflow.DEFAULT_VERSION, 1) >= 1;
  }

  /** How long a libvirt job may run: the completion timeout of its data, twice, plus slack. */
  static Duration patience(MigrationSource source, MigrationOptions options) {
    long data = source == null ? 0 : source.memoryBytes() + source.diskCapacityBytes();
    return MigrationPolicy.jobPatience(data, options.completionTimeoutSecondsPerGiB());
  }

  /**
   * The settlement saw the VM running on the target only and told the inventory, which holds the
   * VM's own capacity there from then on: the target's hold and the slot (a limit on concurrent
   * moves, not a lock on the VM) are no longer needed, and are released beside the source's
   * cleanup instead of after the result. Whatever the settlement does next (a step that fails
   * and is retried, an operator) works from the nodes' state, not from the slot or the hold.
   */
  private void releaseWhenMoved() {
    // Added after the first release: runs recorded before it released both at the end.
    if (released != null || Workflow.getVersion("release-when-moved", Workflow.DEFAULT_VERSION, 1) < 1) {
      return;
    }
    released = releaseBoth(holdsTarget);
  }

  /** Releases the target's hold (when {@code target}) and the slot together, in a detached scope. */
  private Promise<Void> releaseBoth(boolean target) {
    CompletablePromise<Void> done = Workflow.newPromise();
    Workflow.newDetachedCancellationScope(() -> Async.procedure(() -> {
      Promise<Void> capacity = target ? Async.procedure(this::releaseTarget) : Workflow.newPromise(null);
      if (slotted) {
        slot.release();
      }
      capacity.get();
      done.complete(null);
    })).run();
    return done;
  }

  private void releaseTarget() {
    try {
      inventory.releaseMigrationTarget(Workflow.getInfo().getWorkflowId());
    } catch (ActivityFailure e) {
      // The hold expires with the run's age; a lost release costs capacity, not correctness.
      Workflow.getLogger(MigrateVmWorkflowImpl.class).warn("target capacity not released: {}", e.getMessage());
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
    return new MigrateVmRequest(request.vmName(), node, request.targetNode(), request.mode(), request.options());
  }

  /** The validator's errors in one line; null when valid. */
  private static String invalid(MigrateVmRequest request) {
    List<FieldError> errors = MigrateVmValidator.validate(request);
    if (!errors.isEmpty()) {
      return errors.stream().map(FieldError::toString).collect(Collectors.joining("; "));
    }
    // Runs recorded before warm mode existed rejected it here, without a command.
    if (request.mode() == MigrationMode.WARM
        && Workflow.getVersion("warm-mode", Workflow.DEFAULT_VERSION, 1) == Workflow.DEFAULT_VERSION) {
      return "mode: warm is not implemented yet; use live or cold";
    }
    return null;
  }

  private static boolean blank(String value) {
    return value == null || value.isBlank();
  }

  @Override
  public RunStatus status() {
    return run == null ? null : run.status();
  }

  @Override
  public void forceComplete() {
    force.request();
  }

  @Override
  public void slotGranted() {
    slot.grant();
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
}
