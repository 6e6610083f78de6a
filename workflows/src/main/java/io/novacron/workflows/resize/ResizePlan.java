package io.novacron.workflows.resize;

import io.novacron.workflows.node.VmRecord;

/**
 * What a valid resize does to a VM as the inventory has it. Pure: the REST API answers with it
 * before a run starts, and the workflow decides with it again (runs also start from the Temporal
 * CLI, and the VM may have changed in between).
 *
 * <p>Rules: vCPUs and memory change only while the VM is stopped (a domain's definition is
 * rewritten; NovaCron does no CPU or memory hot-plug). The disk only grows (shrinking a disk cuts
 * off whatever the guest's file system keeps at its end), and only while the VM is stopped: there
 * is no live grow, so a running guest never sees its disk change under it.
 *
 * @param from the size the VM has
 * @param to the size it gets
 */
public record ResizePlan(VmSize from, VmSize to) {
  /** The state a VM must be in for any change. */
  public static final String STOPPED = "shutoff";

  /** Why a resize is refused: a field (HTTP 400) or the VM's state (409). */
  public enum Refusal { NONE, INVALID, NOT_STOPPED }

  /**
   * The outcome of {@link #decide}: a plan, or a refusal with the field it names (INVALID only)
   * and the sentence that says what to do.
   */
  public record Decision(Refusal refusal, String field, String message, ResizePlan plan) {
    public boolean accepted() {
      return refusal == Refusal.NONE;
    }
  }

  /** The request (valid by {@link ResizeVmValidator}) against the VM's record. */
  public static Decision decide(ResizeVmRequest request, VmRecord vm) {
    VmSize from = new VmSize(vm.vcpus(), vm.memoryMib(), vm.diskGib());
    VmSize to = new VmSize(
        request.vcpus() == null ? from.vcpus() : request.vcpus(),
        request.memoryMib() == null ? from.memoryMib() : request.memoryMib(),
        request.diskGib() == null ? from.diskGib() : request.diskGib());
    if (to.diskGib() < from.diskGib()) {
      return new Decision(Refusal.INVALID, "diskGib", "a disk only grows: " + vm.name() + "'s is "
          + from.diskGib() + " GiB now, so ask for " + from.diskGib() + " or more (was " + to.diskGib() + ")", null);
    }
    ResizePlan plan = new ResizePlan(from, to);
    if (plan.changes() && !STOPPED.equals(vm.state())) {
      return new Decision(Refusal.NOT_STOPPED, null, "'" + vm.name() + "' is " + vm.state()
          + ": vCPUs, memory and disk change only while it is stopped; stop it first: novacron vm stop "
          + vm.name(), null);
    }
    return new Decision(Refusal.NONE, null, null, plan);
  }

  /** Whether the domain's definition changes (vCPUs or memory). */
  public boolean changesDomain() {
    return from.vcpus() != to.vcpus() || from.memoryMib() != to.memoryMib();
  }

  /** Whether the disk grows. */
  public boolean growsDisk() {
    return to.diskGib() > from.diskGib();
  }

  /** Whether anything changes at all. */
  public boolean changes() {
    return changesDomain() || growsDisk();
  }

  /** What the node must have free on top of what the VM holds: each increase, nothing for a decrease. */
  public VmSize growth() {
    return new VmSize(Math.max(0, to.vcpus() - from.vcpus()), Math.max(0, to.memoryMib() - from.memoryMib()),
        Math.max(0, to.diskGib() - from.diskGib()));
  }
}
