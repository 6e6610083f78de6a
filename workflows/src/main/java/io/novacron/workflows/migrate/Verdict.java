package io.novacron.workflows.migrate;

/**
 * What a move does next, decided by {@link Settlement} from both nodes' state.
 *
 * @param step the next step
 * @param detail why, in words for the run record
 */
public record Verdict(Step step, String detail) {
  /** The steps, from waiting to done. Only REMOVE_* delete anything, and only a copy that is not the VM. */
  public enum Step {
    /** libvirt runs a job for the VM on a node: its state may change any moment; look again later. */
    WAIT,
    /** As WAIT, but first ask the source to abort its outgoing migration (the run wants it back). */
    ABORT_AND_WAIT,
    /** The VM runs on the target only: record the move, then clear the source. */
    FORWARD,
    /** The VM runs on the target only and the source holds nothing of it: the move is done. */
    FORWARD_DONE,
    /** The VM runs on the source only, the target still holds traces of it: remove them. */
    REMOVE_TARGET,
    /** The VM runs on the source only and the target holds nothing of it: rolled back. */
    BACK_DONE,
    /** Neither runs; the source's copy is whole (paused, saved or stopped by this run): bring it back. */
    RECOVER_SOURCE,
    /** Neither runs; the guest has left the source and the target's copy is whole: bring it back. */
    RECOVER_TARGET,
    /** Neither runs, and this run never stopped the guest: it is left as found, the target cleared. */
    LEFT_AS_FOUND,
    /** Nothing may be done safely without an operator: a node does not answer, or the state is wrong. */
    ATTENTION
  }

  static Verdict of(Step step, String detail) {
    return new Verdict(step, detail);
  }
}
