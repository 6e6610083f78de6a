package io.novacron.workflows.fleet;

import io.novacron.workflows.migrate.MigrationMode;

/**
 * One move of a fleet plan.
 *
 * @param vm the VM
 * @param source the node it leaves
 * @param target the node placement chose for it
 * @param mode how it moves first ({@code live})
 * @param policy what happens when the live move fails ({@link DrainPolicy#forVm})
 * @param why why this target, in words, for the operator
 */
public record PlannedMove(String vm, String source, String target, MigrationMode mode, DrainPolicy policy,
    String why) {

  /** The same move in {@code newMode}. */
  public PlannedMove withMode(MigrationMode newMode) {
    return new PlannedMove(vm, source, target, newMode, policy, why);
  }
}
