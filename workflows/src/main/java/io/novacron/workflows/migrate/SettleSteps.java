package io.novacron.workflows.migrate;

import io.novacron.workflows.node.InventoryActivities;
import io.novacron.workflows.run.FailureReason;
import io.novacron.workflows.run.RunTracker;
import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;

/**
 * The steps a settlement takes on the two nodes and the inventory, each with its record in the
 * run: look at both, abort the source's migration, record the move (and flatten the target's
 * overlay), merge the source's overlay back, remove a copy. A step's failure comes back as text
 * for the settlement to look again, never as an exception. Workflow code only.
 */
final class SettleSteps {
  private final RunTracker run;
  private final String vm;
  private final NodeSteps source;
  private final NodeSteps target;
  private final InventoryActivities inventory;
  private final OperatorDesk desk;
  /** The target's flatten while it runs beside the record and the source's cleanup; else null. */
  private Promise<String> flattening;

  SettleSteps(RunTracker run, String vm, NodeSteps source, NodeSteps target, InventoryActivities inventory,
      OperatorDesk desk) {
    this.run = run;
    this.vm = vm;
    this.source = source;
    this.target = target;
    this.inventory = inventory;
    this.desk = desk;
  }

  /** Removes the copy on the source ({@code onSource}) or the target; the failure as text. */
  String remove(boolean onSource, String uuid, boolean force) {
    NodeSteps node = onSource ? source : target;
    return attempt(() -> node.migration.removeCopy(new RemoveCopyRequest(vm, uuid, force)));
  }

  /**
   * What a removal left on its node ({@code left}: the agent's own probe after the removal, the
   * same as a look there) or why it failed ({@code problem}); exactly one of them is set.
   */
  record Removal(DomainProbe left, String problem) {}

  /** Removes the copy on the source, unforced, and keeps the agent's answer of what is left there. */
  Removal removeFromSource(String uuid) {
    try {
      return new Removal(source.migration.removeCopy(new RemoveCopyRequest(vm, uuid, false)), null);
    } catch (ActivityFailure e) {
      return new Removal(null, FailureReason.of(e));
    }
  }

  /** Brings the source's copy back (resume, restore or start); the failure as text. */
  String recoverSource() {
    return attempt(() -> source.migration.recoverSource(vm));
  }

  /** Brings the target's copy back: resume a paused one, start a stopped one; the failure as text. */
  String recoverTarget(boolean paused) {
    return attempt(() -> {
      if (paused) {
        target.migration.resume(vm);
      } else {
        target.host.startDomain(vm);
      }
    });
  }

  /**
   * Waits for a flatten that runs beside other steps ({@link #recordMove}) and records its
   * failure; nothing when none runs.
   */
  void awaitFlatten() {
    if (flattening == null) {
      return;
    }
    String problem = flattening.get();
    flattening = null;
    if (problem != null) {
      run.enter("flatten", "the overlay stays under " + vm + ": " + problem);
    }
  }

  /**
   * Both nodes at once; a node whose agent or libvirtd does not answer is unknown, never guessed.
   * A flatten still running is waited for first: the look must see the target's disk as it is.
   */
  Copies look() {
    awaitFlatten();
    Promise<DomainProbe> onSource = Async.function(source.look::probe, vm);
    Promise<DomainProbe> onTarget = Async.function(target.look::probe, vm);
    DomainProbe s = null;
    DomainProbe t = null;
    String sourceUnknown = null;
    String targetUnknown = null;
    try {
      s = onSource.get();
    } catch (ActivityFailure e) {
      sourceUnknown = FailureReason.of(e);
    }
    try {
      t = onTarget.get();
    } catch (ActivityFailure e) {
      targetUnknown = FailureReason.of(e);
    }
    return desk.saw(new Copies(source.node, s, sourceUnknown, target.node, t, targetUnknown));
  }

  String abort() {
    try {
      return source.migration.abortMigration(vm);
    } catch (ActivityFailure e) {
      return "could not ask " + source.node + " to abort the migration: " + FailureReason.of(e);
    }
  }

  /** The inventory follows the VM; the target's overlay (live pre-copy) is merged into its disk. */
  void recordMove(Copies copies, String targetDisk) {
    run.setNode(target.node);
    run.enter("verify", copies.target() == null ? vm + " kept on " + target.node
        : vm + " runs on " + target.node + " (" + copies.target().describe() + ")");
    boolean flatten = copies.target() != null && copies.target().files() != null
        && copies.target().files().overlay();
    // Added after the first release: runs recorded before it flattened after the inventory's
    // record, and cleaned the source up after the flatten. The flatten only merges the target's
    // own two images (the inventory holds the disk's path, which the merge keeps; the source is
    // not involved), so it runs beside both; the next look, or the settlement's end, waits for it.
    if (flatten && Workflow.getVersion("overlap-record", Workflow.DEFAULT_VERSION, 1) >= 1) {
      run.enter("flatten", target.node);
      flattening = Async.function(() -> attempt(() -> target.commit.commitOverlay(vm)));
      record(targetDisk);
      return;
    }
    record(targetDisk);
    if (flatten) {
      run.enter("flatten", target.node);
      String problem = attempt(() -> target.commit.commitOverlay(vm));
      if (problem != null) {
        run.enter("flatten", "the overlay stays under " + vm + ": " + problem);
      }
    }
  }

  private void record(String targetDisk) {
    try {
      inventory.moveVm(vm, target.node, targetDisk);
    } catch (ActivityFailure e) {
      run.enter("record", "inventory not updated: " + FailureReason.of(e));
    }
  }

  /** A rollback after a live pre-copy: the source runs from its overlay, which goes back into its disk. */
  void mergeSourceOverlay(Copies copies) {
    run.enter("verify", "exactly one running copy, on " + source.node);
    if (copies.source().files() != null && copies.source().files().overlay()) {
      String problem = attempt(() -> source.commit.commitOverlay(vm));
      if (problem != null) {
        run.enter("rollback", "the overlay stays under " + vm + " on " + source.node + ": " + problem);
      }
    }
  }

  /** Runs a step; its failure is returned as text, to be looked at again, not thrown. */
  private static String attempt(Runnable step) {
    try {
      step.run();
      return null;
    } catch (ActivityFailure e) {
      return FailureReason.of(e);
    }
  }
}
