package io.novacron.workflows.fleet;

import io.novacron.workflows.migrate.MigrationMode;

/**
 * One move of a fleet plan.
 *
 * @param vm the VM
 * @param source the node it leaves
 * @param target the node placement chose for it
 * @param mode how it moves first ({@code live} unless its policy says otherwise)
 * @param why why this target, in words, for the operator
 */
public record PlannedMove(String vm, String source, String target, MigrationMode mode, String why) {}
