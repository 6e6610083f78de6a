package io.novacron.workflows.fleet;

import io.temporal.activity.ActivityInterface;
import java.util.List;

/**
 * The inventory's side of drains and rebalances. Implemented by the control plane; every method is
 * safe to retry.
 */
@ActivityInterface(namePrefix = "Fleet.")
public interface FleetActivities {
  /**
   * Cordons {@code node} unless it already is (it then keeps its first reason). Returns the reason
   * it is cordoned for.
   *
   * @throws io.temporal.failure.ApplicationFailure UnknownNode, non-retryable
   */
  String cordon(String node, String reason);

  /**
   * The plan to empty {@code node} now ({@link DrainPlanner}), on the inventory's VMs and the
   * nodes' capacity with every hold of other runs counted.
   *
   * @throws io.temporal.failure.ApplicationFailure UnknownNode, non-retryable
   */
  DrainPlanner.DrainPlan planDrain(String node, DrainPolicy defaultPolicy);

  /** The moves that even memory use now ({@link RebalancePlanner}), at most {@code maxMoves}. */
  RebalancePlanner.RebalancePlan planRebalance(int maxMoves);

  /** {@code vmName} as the inventory has it now; null for a VM it does not know (any more). */
  VmLoad vm(String vmName);

  /** A target for {@code vmName} now ({@link TargetChooser}), never one of {@code excludedNodes}. */
  TargetChoice chooseTarget(String vmName, List<String> excludedNodes);

  /**
   * A target, or why there is none.
   *
   * @param node the chosen node; null when no node can take the VM
   * @param why why this node, or why none
   */
  record TargetChoice(String node, String why) {}
}
