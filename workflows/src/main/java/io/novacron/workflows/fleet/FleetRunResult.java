package io.novacron.workflows.fleet;

import java.util.List;

/**
 * The end of a drain or a rebalance.
 *
 * @param dryRun whether only the plan was made
 * @param moves the planned moves, in order
 * @param stays what the plan left where it was, and why
 * @param items every VM and where it ended (empty for a dry run)
 * @param summary one sentence for the operator
 */
public record FleetRunResult(boolean dryRun, List<PlannedMove> moves, List<Stay> stays, List<FleetItem> items,
    String summary) {}
