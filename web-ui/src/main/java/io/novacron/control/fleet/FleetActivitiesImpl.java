package io.novacron.control.fleet;

import io.novacron.control.node.NodeCordons;
import io.novacron.control.shared.NotFoundException;
import io.novacron.workflows.FailureTypes;
import io.novacron.workflows.fleet.DrainPlanner;
import io.novacron.workflows.fleet.DrainPolicy;
import io.novacron.workflows.fleet.FleetActivities;
import io.novacron.workflows.fleet.RebalancePlanner;
import io.novacron.workflows.fleet.VmLoad;
import io.temporal.failure.ApplicationFailure;
import java.util.List;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;

/** The drain's and rebalance's inventory steps; an unknown node is a non-retryable UnknownNode. */
@Component
public class FleetActivitiesImpl implements FleetActivities {
  private final NodeCordons cordons;
  private final FleetPlans plans;
  private final FleetView fleet;

  FleetActivitiesImpl(NodeCordons cordons, FleetPlans plans, FleetView fleet) {
    this.cordons = cordons;
    this.plans = plans;
    this.fleet = fleet;
  }

  @Override
  public String cordon(String node, String reason) {
    return knownNode(() -> cordons.cordon(node, reason));
  }

  @Override
  public DrainPlanner.DrainPlan planDrain(String node, DrainPolicy defaultPolicy) {
    return knownNode(() -> plans.drain(node, defaultPolicy));
  }

  @Override
  public RebalancePlanner.RebalancePlan planRebalance(int maxMoves) {
    return plans.rebalance(maxMoves);
  }

  @Override
  public VmLoad vm(String vmName) {
    return fleet.vm(vmName).orElse(null);
  }

  @Override
  public TargetChoice chooseTarget(String vmName, List<String> excludedNodes) {
    return plans.target(vmName, excludedNodes);
  }

  private static <T> T knownNode(Supplier<T> step) {
    try {
      return step.get();
    } catch (NotFoundException e) {
      throw ApplicationFailure.newNonRetryableFailure(e.getMessage(), FailureTypes.UNKNOWN_NODE);
    }
  }
}
