package io.novacron.workflows.fleet;

import io.novacron.workflows.run.RunStatus;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.util.List;

/**
 * Evens memory use across nodes under a cap on moves ({@link RebalancePlanner}); a dry run (the
 * default) returns the plan, an execute runs its moves as a drain does, each VM's failed live move
 * left where it was ({@code skip}) unless its label says otherwise.
 *
 * <pre>
 * temporal workflow start --task-queue novacron.control --type Rebalance --workflow-id rebalance-1 \
 *   --input '{"maxMoves":3,"dryRun":false}'
 * </pre>
 */
@WorkflowInterface
public interface RebalanceWorkflow {
  String TYPE = "Rebalance";

  @WorkflowMethod(name = TYPE)
  FleetRunResult rebalance(RebalanceRequest request);

  @QueryMethod
  RunStatus status();

  @QueryMethod
  List<FleetItem> items();
}
