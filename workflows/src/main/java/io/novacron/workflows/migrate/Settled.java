package io.novacron.workflows.migrate;

/**
 * How a move ended, once {@link MoveSettler} found nothing more to do.
 *
 * @param outcome where the VM ended up
 * @param last both nodes' state at the last look
 * @param detail what the run record says about it
 */
public record Settled(Outcome outcome, Copies last, String detail) {
  public enum Outcome {
    /** The VM runs on the target only; the inventory says so and the source holds nothing. */
    MOVED,
    /** The VM runs on the source only; the target holds nothing of it. */
    ROLLED_BACK,
    /** The run never touched the guest, which is not running; nothing was moved. */
    LEFT_AS_FOUND,
    /** An operator ended the run without a repair; the record names what is where. */
    ABANDONED
  }
}
