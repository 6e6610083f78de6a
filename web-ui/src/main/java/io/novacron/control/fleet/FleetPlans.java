package io.novacron.control.fleet;

import io.novacron.control.image.ImageCatalog;
import io.novacron.control.node.NodeCordons;
import io.novacron.control.provision.NodeCapacities;
import io.novacron.workflows.fleet.DrainPlanner;
import io.novacron.workflows.fleet.DrainPolicy;
import io.novacron.workflows.fleet.FleetActivities.TargetChoice;
import io.novacron.workflows.fleet.RebalancePlanner;
import io.novacron.workflows.fleet.TargetChooser;
import io.novacron.workflows.fleet.VmLoad;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.springframework.stereotype.Service;

/**
 * Fleet plans on the inventory as it is now: the VMs, every node's capacity with the holds of runs
 * in flight, and the registered images. The dry runs of the REST API and the drain and rebalance
 * runs' activities go through here, so a dry run shows what a run would do.
 */
@Service
public class FleetPlans {
  private final FleetView fleet;
  private final NodeCapacities capacities;
  private final ImageCatalog images;
  private final NodeCordons cordons;
  private final Clock clock;

  FleetPlans(FleetView fleet, NodeCapacities capacities, ImageCatalog images, NodeCordons cordons, Clock clock) {
    this.fleet = fleet;
    this.capacities = capacities;
    this.images = images;
    this.cordons = cordons;
    this.clock = clock;
  }

  /**
   * The plan to empty {@code node}.
   *
   * @throws io.novacron.control.shared.NotFoundException for a node no agent announced
   */
  public DrainPlanner.DrainPlan drain(String node, DrainPolicy defaultPolicy) {
    if (!cordons.exists(node)) {
      throw NodeCordons.unknown(node);
    }
    return DrainPlanner.plan(node, fleet.all(), capacities.read(null), defaultPolicy, clock.millis(), images.names());
  }

  /** The moves that even memory use, at most {@code maxMoves}. */
  public RebalancePlanner.RebalancePlan rebalance(int maxMoves) {
    return RebalancePlanner.plan(capacities.read(null), fleet.all(), maxMoves, clock.millis(), images.names());
  }

  /** A target for {@code vmName} outside {@code excludedNodes}; none for a VM the inventory does not know. */
  public TargetChoice target(String vmName, List<String> excludedNodes) {
    List<VmLoad> all = fleet.all();
    VmLoad vm = all.stream().filter(v -> v.name().equals(vmName)).findFirst().orElse(null);
    if (vm == null) {
      return new TargetChoice(null, vmName + " is not in the inventory");
    }
    Set<String> excluded = new HashSet<>(excludedNodes == null ? List.of() : excludedNodes);
    TargetChooser.Choice choice = TargetChooser.choose(vm, capacities.read(null), all, excluded, clock.millis(),
        images.names());
    return new TargetChoice(choice.node().orElse(null), choice.why());
  }
}
