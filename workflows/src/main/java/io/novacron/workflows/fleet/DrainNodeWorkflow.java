package io.novacron.workflows.fleet;

import io.novacron.workflows.run.RunStatus;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.util.List;

/**
 * Empties a node for maintenance: cordon it, then move every VM off with MigrateVm child runs,
 * each to the node placement chooses, at most {@code parallel} at a time. Cancel stops starting
 * moves and lets the running ones end by their own rules. The node stays cordoned in every outcome
 * (uncordon it when the maintenance is over).
 *
 * <pre>
 * temporal workflow start --task-queue novacron.control --type DrainNode --workflow-id drain-lab-a \
 *   --input '{"node":"lab-a","policy":"live-then-cold","parallel":2}'
 * </pre>
 */
@WorkflowInterface
public interface DrainNodeWorkflow {
  String TYPE = "DrainNode";

  /**
   * @return the plan and where every VM ended; with {@code dryRun} the plan alone, nothing changed
   * @throws io.temporal.failure.ApplicationFailure InvalidSpec, UnknownNode, or DrainIncomplete
   *     when VMs stayed on the node (its message names each and why)
   */
  @WorkflowMethod(name = TYPE)
  FleetRunResult drain(DrainNodeRequest request);

  /** Phase, node and timeline of the run. */
  @QueryMethod
  RunStatus status();

  /** Every VM of the drain and where it is now. */
  @QueryMethod
  List<FleetItem> items();
}
