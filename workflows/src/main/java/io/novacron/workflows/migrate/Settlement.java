package io.novacron.workflows.migrate;

import io.novacron.workflows.migrate.Verdict.Step;

/**
 * Where a move stands and what it may do next, from both nodes' state at one moment and what the
 * run did so far. Every outcome of a migration (success, failure, cancellation, a crash of any
 * process) goes through here, so that one rule holds for all of them:
 *
 * <ul>
 *   <li>Nothing happens while libvirt runs a job for the VM on either node (a peer-to-peer
 *       migration goes on in the source's libvirtd without its agent) or is starting it there (a
 *       start the run gave up waiting for may still bring it up): wait, at most ask the source to
 *       abort its outgoing migration.
 *   <li>A node's copy is removed only while the VM is seen running on the other node (or, before
 *       the run handed the guest to the target, the target's files, which cannot hold the VM).
 *   <li>A copy is brought back (resumed, restored, started) only where neither runs, on the
 *       source when its copy is whole, on the target only once the guest has left the source.
 *   <li>Anything else (a node that does not answer, two running copies, none, a post-copy that
 *       failed half-way) waits for an operator; nothing is guessed.
 * </ul>
 *
 * <p>Pure and deterministic: the workflow calls it on every look at the two nodes.
 */
public final class Settlement {
  private Settlement() {}

  /**
   * @param copies both nodes' state now
   * @param stage what the run did so far
   * @param wantBack the run would rather undo the move (it was cancelled): a running outgoing
   *     migration is to be aborted rather than waited for
   */
  public static Verdict decide(Copies copies, MoveStage stage, boolean wantBack) {
    return decide(copies, stage, wantBack, true);
  }

  /**
   * @param waitForStarts a copy that libvirt is starting counts as in motion; false only for runs
   *     recorded before that rule, which replay as they ran
   */
  public static Verdict decide(Copies copies, MoveStage stage, boolean wantBack, boolean waitForStarts) {
    if (!copies.known()) {
      return Verdict.of(Step.ATTENTION, unknown(copies));
    }
    String vm = copies.source().vmName();
    if (foreign(copies.source(), stage) || foreign(copies.target(), stage)) {
      // Another VM of the same name (another UUID): never ours to remove, start or wait for.
      DomainProbe other = foreign(copies.source(), stage) ? copies.source() : copies.target();
      String node = other == copies.source() ? copies.sourceNode() : copies.targetNode();
      Copies ours = other == copies.source()
          ? new Copies(copies.sourceNode(), notHere(other), null, copies.targetNode(), copies.target(), null)
          : new Copies(copies.sourceNode(), copies.source(), null, copies.targetNode(), notHere(other), null);
      Verdict verdict = decide(ours, stage, wantBack, waitForStarts);
      return Verdict.of(verdict.step(), verdict.detail() + "; " + node + " has another domain named "
          + vm + " (UUID " + other.uuid() + "), left alone");
    }
    DomainProbe source = copies.source();
    DomainProbe target = copies.target();
    if (inMotion(source, waitForStarts) || inMotion(target, waitForStarts)) {
      boolean abort = wantBack && DomainProbe.MIGRATION_OUT.equals(source.job()) && !source.postCopy();
      String doing = source.busy() || target.busy() ? "libvirt still runs a job for " : "libvirt is still starting ";
      return Verdict.of(abort ? Step.ABORT_AND_WAIT : Step.WAIT, doing + vm + ": " + copies.describe());
    }
    if (source.running() && target.running()) {
      return Verdict.of(Step.ATTENTION, "two running copies of " + vm + ": " + copies.describe()
          + "; keep one (resolve keep-source or keep-target)");
    }
    if (target.running()) {
      return source.hasTraces()
          ? Verdict.of(Step.FORWARD, vm + " runs on " + copies.targetNode() + " only; "
              + copies.sourceNode() + " still holds " + traces(source))
          : Verdict.of(Step.FORWARD_DONE, "exactly one running copy, on " + copies.targetNode());
    }
    if (source.running()) {
      return target.hasTraces()
          ? Verdict.of(Step.REMOVE_TARGET, vm + " runs on " + copies.sourceNode() + " only; "
              + copies.targetNode() + " still holds " + traces(target))
          : Verdict.of(Step.BACK_DONE, "exactly one running copy, on " + copies.sourceNode());
    }
    return neitherRuns(copies, stage);
  }

  private static Verdict neitherRuns(Copies copies, MoveStage stage) {
    DomainProbe source = copies.source();
    DomainProbe target = copies.target();
    String vm = source.vmName();
    if (source.postCopy() || target.postCopy()) {
      return Verdict.of(Step.ATTENTION, "the post-copy migration of " + vm + " failed half-way:"
          + " neither node holds all of its memory (" + copies.describe() + ")");
    }
    if (!stage.handedOver() && !stage.sourceStopped()) {
      // This run never stopped the guest nor gave it away: whatever stopped it was not us.
      if (!target.absent()) {
        return Verdict.of(Step.ATTENTION, copies.targetNode() + " has a domain " + vm
            + " that this run did not define (" + copies.describe() + ")");
      }
      return target.hasTraces()
          ? Verdict.of(Step.REMOVE_TARGET, vm + " never reached " + copies.targetNode()
              + ", which still holds " + traces(target))
          : Verdict.of(Step.LEFT_AS_FOUND, vm + " is " + source.describe() + " on "
              + copies.sourceNode() + ", as it was left outside this run; nothing was moved");
    }
    // A source whose domain is shut off "migrated" was given up by libvirt after a switch-over.
    boolean left = source.absent() || ("shutoff".equals(source.state()) && "migrated".equals(source.reason()));
    if (!left) {
      return Verdict.of(Step.RECOVER_SOURCE, "no running copy of " + vm + " (" + copies.describe()
          + "): the copy on " + copies.sourceNode() + " is whole, bring it back there");
    }
    if (left && !target.absent() && stage.handedOver()) {
      return Verdict.of(Step.RECOVER_TARGET, vm + " has left " + copies.sourceNode()
          + " and does not run on " + copies.targetNode() + " (" + target.describe()
          + "): bring it back there");
    }
    return Verdict.of(Step.ATTENTION, vm + " has no running copy: " + copies.describe());
  }

  /** libvirt may change this copy any moment without us (see {@link #decide}). */
  public static boolean inMotion(DomainProbe probe, boolean waitForStarts) {
    return waitForStarts ? probe.inTransition() : probe.busy();
  }

  private static boolean foreign(DomainProbe probe, MoveStage stage) {
    return probe.uuid() != null && stage.uuid() != null && !probe.uuid().equalsIgnoreCase(stage.uuid());
  }

  /** What a node holds of the VM when all it has is another VM of the same name: nothing. */
  private static DomainProbe notHere(DomainProbe other) {
    return new DomainProbe(other.node(), other.vmName(), null, DomainProbe.ABSENT, "", null, VmFiles.NONE);
  }

  private static String unknown(Copies copies) {
    String vm = copies.source() != null ? copies.source().vmName()
        : copies.target() != null ? copies.target().vmName() : "the VM";
    StringBuilder detail = new StringBuilder();
    DomainProbe known = copies.source() != null ? copies.source() : copies.target();
    String knownNode = copies.source() != null ? copies.sourceNode() : copies.targetNode();
    if (known != null && known.running()) {
      detail.append(vm).append(" runs on ").append(knownNode).append("; ");
    }
    detail.append("cannot tell where ").append(vm).append(" runs: ").append(copies.describe())
        .append("; nothing is removed until both nodes answer");
    return detail.toString();
  }

  private static String traces(DomainProbe probe) {
    String files = probe.files() == null || probe.files().isEmpty() ? "" : String.join(", ", probe.files().names());
    String domain = probe.absent() ? "" : "its domain (" + probe.describe() + ")";
    return domain.isEmpty() ? files : files.isEmpty() ? domain : domain + ", " + files;
  }
}
