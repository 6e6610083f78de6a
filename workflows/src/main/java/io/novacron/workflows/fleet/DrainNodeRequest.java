package io.novacron.workflows.fleet;

import io.novacron.workflows.migrate.MigrationMode;
import io.novacron.workflows.migrate.MigrationOptions;

/**
 * A node to empty for maintenance. The JSON the REST API, the CLI and {@code temporal workflow
 * start --type DrainNode --input} take, e.g. {@code {"node":"lab-a","policy":"live-then-cold"}}.
 *
 * @param node the node to cordon and empty
 * @param policy what to do with a VM whose live move fails, unless its label
 *     {@value DrainPolicy#LABEL} says otherwise; null for {@code live-or-fail}
 * @param parallel moves at once, 1 to {@value #MAX_PARALLEL}; null for {@value #DEFAULT_PARALLEL}
 *     (each also waits for a cluster migration slot)
 * @param dryRun true to return the plan (which VM goes where, in what order, why) and change
 *     nothing, not even the cordon
 * @param options tuning of the live moves; null for MigrateVm's defaults
 * @param mode how every VM moves first: null or {@code live} (the policy then says what follows a
 *     failed live move), or {@code warm} / {@code cold} for a maintenance window that accepts the
 *     guests' downtime
 */
public record DrainNodeRequest(String node, DrainPolicy policy, Integer parallel, Boolean dryRun,
    MigrationOptions options, MigrationMode mode) {

  /** A drain whose VMs move live first. */
  public DrainNodeRequest(String node, DrainPolicy policy, Integer parallel, Boolean dryRun,
      MigrationOptions options) {
    this(node, policy, parallel, dryRun, options, null);
  }

  public MigrationMode modeOrDefault() {
    return mode == null ? MigrationMode.LIVE : mode;
  }

  public static final int DEFAULT_PARALLEL = 2;
  public static final int MAX_PARALLEL = 16;

  public DrainPolicy policyOrDefault() {
    return policy == null ? DrainPolicy.LIVE_OR_FAIL : policy;
  }

  public int parallelOrDefault() {
    return parallel == null ? DEFAULT_PARALLEL : parallel;
  }

  public boolean isDryRun() {
    return Boolean.TRUE.equals(dryRun);
  }
}
