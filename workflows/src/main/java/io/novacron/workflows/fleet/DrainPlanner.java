package io.novacron.workflows.fleet;

import io.novacron.workflows.migrate.MigrationMode;
import io.novacron.workflows.provision.NodeCapacity;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Plans emptying a node: a live move for each running VM on it, to the target {@link TargetChooser}
 * picks, and a {@link Stay} with a reason for each VM that cannot move.
 *
 * <p>The plan simulates its own moves: once a VM is assigned, its target holds it and the fleet
 * view has it there, so capacity and group rules see every earlier move of the same plan. A running
 * VM of the node not yet planned counts as on its way out, not as on the node: otherwise an affinity
 * group that lives on the drained node could never leave it, as its first member would be held to
 * the others. Once a VM stays, it counts on the node again, so the rest of its group stays with it.
 * VMs are
 * placed largest memory first (the hardest to place, while the most room is left), then most
 * vCPUs, then by name.
 */
public final class DrainPlanner {
  private DrainPlanner() {}

  /**
   * A drain plan.
   *
   * @param node the node to empty
   * @param moves the moves, in the order they were planned
   * @param stays the VMs that stay on the node, and why
   */
  public record DrainPlan(String node, List<PlannedMove> moves, List<Stay> stays) {
    public DrainPlan {
      moves = List.copyOf(moves);
      stays = List.copyOf(stays);
    }

    /** Whether carrying out every move leaves the node without VMs. */
    public boolean empties() {
      return stays.isEmpty();
    }
  }

  private static final Comparator<VmLoad> HARDEST_FIRST =
      Comparator.comparingLong(VmLoad::memoryMib).reversed()
          .thenComparing(Comparator.comparingInt(VmLoad::vcpus).reversed())
          .thenComparing(VmLoad::name);

  /**
   * @param node the node to drain; never a target
   * @param fleet every VM with its node; those on {@code node} are planned
   * @param nodes every node as announced (the drained one may be among them)
   * @param defaultPolicy what a failed live move does for a VM without its own {@value DrainPolicy#LABEL}
   * @param registeredImages registered images, which a target without them can pull
   */
  public static DrainPlan plan(String node, List<VmLoad> fleet, List<NodeCapacity> nodes, DrainPolicy defaultPolicy,
      long nowMillis, Set<String> registeredImages) {
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(defaultPolicy, "defaultPolicy");
    // The simulated nodes and fleet, updated after each assignment (the chooser sorts, so input order is moot).
    Map<String, NodeCapacity> capacity = new TreeMap<>();
    nodes.forEach(n -> capacity.put(n.node(), n));
    Map<String, VmLoad> placed = new LinkedHashMap<>();
    fleet.forEach(vm -> placed.put(vm.name(), vm));

    List<PlannedMove> moves = new ArrayList<>();
    List<Stay> stays = new ArrayList<>();
    List<VmLoad> onNode = fleet.stream().filter(vm -> node.equals(vm.node())).sorted(HARDEST_FIRST).toList();
    Set<String> leaving = new HashSet<>();
    onNode.stream().filter(VmLoad::running).forEach(vm -> leaving.add(vm.name()));
    for (VmLoad vm : onNode) {
      leaving.remove(vm.name());
      String notMovable = whyNotMovable(vm);
      if (notMovable != null) {
        stays.add(new Stay(vm.name(), notMovable));
        continue;
      }
      TargetChooser.Choice choice = TargetChooser.choose(vm, List.copyOf(capacity.values()),
          placed.values().stream().filter(other -> !leaving.contains(other.name())).toList(),
          Set.of(node), nowMillis, registeredImages);
      if (choice.node().isEmpty()) {
        stays.add(new Stay(vm.name(), "no node can take it: " + choice.why()));
        continue;
      }
      String target = choice.node().get();
      moves.add(new PlannedMove(vm.name(), node, target, MigrationMode.LIVE, DrainPolicy.forVm(vm, defaultPolicy),
          choice.why()));
      capacity.put(target, vm.heldOn(capacity.get(target)));
      capacity.computeIfPresent(node, (n, c) -> vm.releasedFrom(c));
      placed.put(vm.name(), Relocation.on(vm, target));
    }
    return new DrainPlan(node, moves, stays);
  }

  /** Why MigrateVm cannot move the VM at all, or null for a running one. */
  private static String whyNotMovable(VmLoad vm) {
    if ("missing".equals(vm.state())) {
      return "missing: no node announces it, so there is nothing to move; find it with virsh list --all on the "
          + "nodes, or delete it from the inventory";
    }
    if (!vm.running()) {
      String state = vm.state() == null || vm.state().isBlank() ? "not running" : vm.state();
      return state + ": MigrateVm moves running guests only; start it to move it, or delete it";
    }
    return null;
  }
}
