package io.novacron.workflows.fleet;

import io.novacron.workflows.migrate.MigrationOptions;

/**
 * Evens memory use across nodes. The JSON the REST API, the CLI and {@code temporal workflow start
 * --type Rebalance --input} take, e.g. {@code {"maxMoves":3,"dryRun":false}}.
 *
 * @param maxMoves at most this many moves, 1 to {@value #MAX_MOVES}; null for {@value #DEFAULT_MOVES}
 * @param dryRun false to run the moves; null or true for the plan alone (a rebalance moves guests
 *     that nobody asked to move, so it only plans unless told otherwise)
 * @param parallel moves at once, 1 to {@value DrainNodeRequest#MAX_PARALLEL}; null for
 *     {@value DrainNodeRequest#DEFAULT_PARALLEL}
 * @param options tuning of the live moves; null for MigrateVm's defaults
 */
public record RebalanceRequest(Integer maxMoves, Boolean dryRun, Integer parallel, MigrationOptions options) {
  public static final int DEFAULT_MOVES = 5;
  public static final int MAX_MOVES = 100;

  public int maxMovesOrDefault() {
    return maxMoves == null ? DEFAULT_MOVES : maxMoves;
  }

  public int parallelOrDefault() {
    return parallel == null ? DrainNodeRequest.DEFAULT_PARALLEL : parallel;
  }

  public boolean isDryRun() {
    return !Boolean.FALSE.equals(dryRun);
  }
}
