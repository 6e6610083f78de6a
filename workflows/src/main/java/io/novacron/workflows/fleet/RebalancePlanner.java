package io.novacron.workflows.fleet;

import io.novacron.workflows.migrate.MigrationMode;
import io.novacron.workflows.provision.NodeCapacity;
import io.novacron.workflows.provision.PlacementPolicy;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Plans live moves that even out memory use across the nodes.
 *
 * <p>Only nodes that are neither stale nor cordoned take part, as sources and as targets (a
 * cordoned node is being emptied or repaired; a stale one may be gone). The measure is the memory
 * spread: the highest memory share minus the lowest, over those nodes. The plan is greedy: from the
 * most loaded node, it takes the one move of a running VM that lowers the spread most, and again,
 * until {@code maxMoves} or until no move lowers it by {@link #MIN_GAIN}. That floor is what keeps
 * it from shuffling VMs for nothing, from moving a VM back and forth, and from ever making the
 * spread worse. A VM moves at most once per plan. Targets must pass {@link PlacementPolicy#refusal}
 * and the hard {@link GroupRules}, against capacity that holds the plan's earlier moves.
 *
 * <p>Known limit of the greedy measure: when two nodes tie for the highest share, no single move
 * lowers the spread, so the plan stops there.
 */
public final class RebalancePlanner {
  /** The least a move must lower the memory spread (as a share, 0.05 = 5 percentage points). */
  public static final double MIN_GAIN = 0.05;

  /** Slack for comparing shares computed in floating point. */
  private static final double EPSILON = 1e-9;

  private RebalancePlanner() {}

  /**
   * A node's load.
   *
   * @param node the node
   * @param memoryShare reserved memory / memory
   * @param cpuShare reserved vCPUs / (cpus * {@link PlacementPolicy#VCPU_OVERCOMMIT})
   * @param vms the VMs on it, running or not
   */
  public record NodeUse(String node, double memoryShare, double cpuShare, int vms) {}

  /**
   * A rebalance plan.
   *
   * @param moves the moves, in the order they were chosen
   * @param before the load of each node that takes part, by name, before the moves
   * @param after the same, once every move is done
   * @param spreadBefore highest minus lowest memory share before
   * @param spreadAfter the same after
   * @param summary one sentence for the operator
   */
  public record RebalancePlan(List<PlannedMove> moves, List<NodeUse> before, List<NodeUse> after,
      double spreadBefore, double spreadAfter, String summary) {
    public RebalancePlan {
      moves = List.copyOf(moves);
      before = List.copyOf(before);
      after = List.copyOf(after);
    }
  }

  /**
   * @param nodes every node as announced
   * @param fleet every VM with its node (VMs on nodes that take no part still count for group rules)
   * @param maxMoves the most moves the plan may hold, at least 1
   * @param registeredImages registered images, which a target without them can pull
   * @throws IllegalArgumentException when {@code maxMoves} is under 1
   */
  public static RebalancePlan plan(List<NodeCapacity> nodes, List<VmLoad> fleet, int maxMoves, long nowMillis,
      Set<String> registeredImages) {
    if (maxMoves < 1) {
      throw new IllegalArgumentException("maxMoves must be at least 1, was " + maxMoves);
    }
    Map<String, NodeCapacity> capacity = new TreeMap<>();
    List<String> sittingOut = new ArrayList<>();
    nodes.stream().sorted(Comparator.comparing(NodeCapacity::node)).forEach(n -> {
      if (n.isStale(nowMillis)) {
        sittingOut.add(n.node() + " (stale)");
      } else if (n.cordoned()) {
        sittingOut.add(n.node() + " (cordoned)");
      } else {
        capacity.put(n.node(), n);
      }
    });
    Map<String, VmLoad> placed = new LinkedHashMap<>();
    fleet.forEach(vm -> placed.put(vm.name(), vm));

    List<NodeUse> before = uses(capacity, placed);
    double spreadBefore = spread(capacity);
    List<PlannedMove> moves = new ArrayList<>();
    Set<String> moved = new HashSet<>();
    String lastSource = null;
    while (moves.size() < maxMoves && capacity.size() > 1) {
      NodeCapacity source = capacity.values().stream().min(MOST_LOADED_FIRST).orElseThrow();
      lastSource = source.node();
      Candidate best = best(source, capacity, placed, moved, nowMillis, registeredImages);
      if (best == null || best.gain() < MIN_GAIN - EPSILON) {
        break;
      }
      VmLoad vm = best.vm();
      NodeCapacity target = capacity.get(best.target());
      NodeCapacity sourceAfter = vm.releasedFrom(source);
      NodeCapacity targetAfter = vm.heldOn(target);
      moves.add(new PlannedMove(vm.name(), source.node(), target.node(), MigrationMode.LIVE,
          DrainPolicy.forVm(vm, DrainPolicy.SKIP),
          source.node() + " " + percent(memoryShare(source)) + " → " + percent(memoryShare(sourceAfter))
              + " memory, " + target.node() + " " + percent(memoryShare(target)) + " → "
              + percent(memoryShare(targetAfter))));
      capacity.put(source.node(), sourceAfter);
      capacity.put(target.node(), targetAfter);
      placed.put(vm.name(), Relocation.on(vm, target.node()));
      moved.add(vm.name());
    }
    double spreadAfter = spread(capacity);
    String summary = summary(moves.size(), capacity.size(), spreadBefore, spreadAfter, maxMoves, lastSource)
        + (sittingOut.isEmpty() ? "" : "; not counted: " + String.join(", ", sittingOut));
    return new RebalancePlan(moves, before, uses(capacity, placed), spreadBefore, spreadAfter, summary);
  }

  /** Highest memory share first, then highest CPU share, then the first name. */
  private static final Comparator<NodeCapacity> MOST_LOADED_FIRST =
      Comparator.comparingDouble((NodeCapacity n) -> -memoryShare(n))
          .thenComparingDouble(n -> -cpuShare(n))
          .thenComparing(NodeCapacity::node);

  private record Candidate(VmLoad vm, String target, double gain) {}

  /** The move off {@code source} that lowers the spread most; ties go to the first VM, then target, by name. */
  private static Candidate best(NodeCapacity source, Map<String, NodeCapacity> capacity, Map<String, VmLoad> placed,
      Set<String> moved, long nowMillis, Set<String> registeredImages) {
    double spread = spread(capacity);
    List<VmLoad> movable = placed.values().stream()
        .filter(vm -> source.node().equals(vm.node()) && vm.running() && !moved.contains(vm.name()))
        .sorted(Comparator.comparing(VmLoad::name))
        .toList();
    Candidate best = null;
    for (VmLoad vm : movable) {
      for (NodeCapacity target : capacity.values()) {
        if (target.node().equals(source.node())
            || PlacementPolicy.refusal(vm.asRequest(target.node()), target, nowMillis, registeredImages) != null
            || GroupRules.refusal(vm, target.node(), placed.values()) != null) {
          continue;
        }
        Map<String, NodeCapacity> trial = new TreeMap<>(capacity);
        trial.put(source.node(), vm.releasedFrom(source));
        trial.put(target.node(), vm.heldOn(target));
        double gain = spread - spread(trial);
        if (best == null || gain > best.gain() + EPSILON) {
          best = new Candidate(vm, target.node(), gain);
        }
      }
    }
    return best;
  }

  private static String summary(int moves, int nodes, double before, double after, int maxMoves, String source) {
    if (moves > 0) {
      return moves + (moves == 1 ? " move brings" : " moves bring") + " the memory spread from " + percent(before)
          + " to " + percent(after) + " (cap " + maxMoves + ")";
    }
    if (nodes < 2) {
      return "nothing to balance: " + nodes + " node" + (nodes == 1 ? " takes" : "s take")
          + " part; uncordon or bring back a node to balance onto";
    }
    if (before < MIN_GAIN - EPSILON) {
      return "already balanced: spread " + percent(before) + " is under " + percent(MIN_GAIN);
    }
    return "no move lowers the spread by " + percent(MIN_GAIN) + " (it is " + percent(before) + "): no running VM of "
        + source + " fits where it would help; add capacity, resize VMs or relax their group rules";
  }

  private static List<NodeUse> uses(Map<String, NodeCapacity> capacity, Map<String, VmLoad> placed) {
    return capacity.values().stream()
        .map(n -> new NodeUse(n.node(), memoryShare(n), cpuShare(n),
            (int) placed.values().stream().filter(vm -> n.node().equals(vm.node())).count()))
        .toList();
  }

  private static double spread(Map<String, NodeCapacity> capacity) {
    if (capacity.isEmpty()) {
      return 0;
    }
    double max = capacity.values().stream().mapToDouble(RebalancePlanner::memoryShare).max().orElse(0);
    double min = capacity.values().stream().mapToDouble(RebalancePlanner::memoryShare).min().orElse(0);
    return max - min;
  }

  private static double memoryShare(NodeCapacity n) {
    return n.memoryMib() <= 0 ? 0 : (double) n.reservedMemoryMib() / n.memoryMib();
  }

  private static double cpuShare(NodeCapacity n) {
    long vcpus = (long) n.cpus() * PlacementPolicy.VCPU_OVERCOMMIT;
    return vcpus <= 0 ? 0 : (double) n.reservedVcpus() / vcpus;
  }

  private static String percent(double share) {
    return Math.round(share * 100) + "%";
  }
}
