package io.novacron.workflows.fleet;

/**
 * One VM of a drain or a rebalance as the run has it now.
 *
 * @param vm the VM
 * @param seq its place in the plan, from 0
 * @param state {@value #PLANNED}, {@value #MOVING}, {@value #MOVED} or {@value #STAYED}
 * @param source the node it was on when the plan was made
 * @param target the node it goes or went to; null for a VM that stays
 * @param mode the mode of its current or last move ({@code live}, {@code cold}); null before any
 * @param childRun the MigrateVm run of its current or last move; null before any
 * @param detail what happened or why it stays, in words
 */
public record FleetItem(String vm, int seq, String state, String source, String target, String mode, String childRun,
    String detail) {
  public static final String PLANNED = "planned";
  public static final String MOVING = "moving";
  public static final String MOVED = "moved";
  public static final String STAYED = "stayed";

  /** Whether the item is done with: moved or stayed. */
  public boolean ended() {
    return MOVED.equals(state) || STAYED.equals(state);
  }

  FleetItem with(String newState, String newTarget, String newMode, String newChildRun, String newDetail) {
    return new FleetItem(vm, seq, newState, source, newTarget, newMode, newChildRun, newDetail);
  }
}
