package io.novacron.workflows.fleet;

import io.novacron.workflows.provision.NodeCapacity;
import io.novacron.workflows.provision.PlacementPolicy;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Picks the node a VM moves to. A node is refused when it is excluded (always the VM's own node),
 * when {@link PlacementPolicy#refusal} refuses it (stale, cordoned, image, networks, memory, vCPUs,
 * disk) or when a hard {@link GroupRules} rule does. Among the nodes that fit: the fewest soft group
 * rules broken, then a node that holds the image (no pull), then the most free memory (spread),
 * then the name, so the choice never depends on input order.
 */
public final class TargetChooser {
  private TargetChooser() {}

  /**
   * The outcome.
   *
   * @param node the chosen node, or empty when none fits
   * @param why why this node, in a few words; with no node, every refusal joined
   * @param refusals {@code "<node>: <reason>"} for each node refused, by node name
   */
  public record Choice(Optional<String> node, String why, List<String> refusals) {
    public Choice {
      refusals = List.copyOf(refusals);
    }
  }

  /**
   * @param vm the VM to move
   * @param nodes the nodes as the plan sees them (with its earlier moves held on them)
   * @param fleet every VM on its current or planned node, for the group rules
   * @param excludedNodes nodes that may not take it (the VM's own node is excluded in any case)
   * @param registeredImages registered images, which a node without them can pull
   */
  public static Choice choose(VmLoad vm, List<NodeCapacity> nodes, Collection<VmLoad> fleet,
      Set<String> excludedNodes, long nowMillis, Set<String> registeredImages) {
    List<NodeCapacity> byName = nodes.stream().sorted(Comparator.comparing(NodeCapacity::node)).toList();
    List<String> refusals = new ArrayList<>();
    List<Candidate> fitting = new ArrayList<>();
    String image = vm.asRequest(null).imageOrNull(); // a blank image is none, as placement reads it
    for (NodeCapacity node : byName) {
      String refusal = refusal(vm, node, fleet, excludedNodes, nowMillis, registeredImages);
      if (refusal == null) {
        fitting.add(new Candidate(node, GroupRules.softViolations(vm, node.node(), fleet),
            PlacementPolicy.holds(node, image), node.memoryMib() - node.reservedMemoryMib()));
      } else {
        refusals.add(node.node() + ": " + refusal);
      }
    }
    if (fitting.isEmpty()) {
      String why = refusals.isEmpty() ? "no node has announced itself" : String.join("; ", refusals);
      return new Choice(Optional.empty(), why, refusals);
    }
    List<Candidate> ranked = fitting.stream().sorted(RANK).toList();
    Candidate best = ranked.get(0);
    return new Choice(Optional.of(best.node().node()), why(best, ranked, image), refusals);
  }

  private static String refusal(VmLoad vm, NodeCapacity node, Collection<VmLoad> fleet, Set<String> excludedNodes,
      long nowMillis, Set<String> registeredImages) {
    if (node.node().equals(vm.node())) {
      return "it runs there";
    }
    if (excludedNodes.contains(node.node())) {
      return "excluded from this plan";
    }
    String placement = PlacementPolicy.refusal(vm.asRequest(node.node()), node, nowMillis, registeredImages);
    return placement != null ? placement : GroupRules.refusal(vm, node.node(), fleet);
  }

  /** A node that fits, with what ranks it. */
  private record Candidate(NodeCapacity node, int softViolations, boolean holdsImage, long freeMemoryMib) {}

  private static final Comparator<Candidate> RANK =
      Comparator.comparingInt(Candidate::softViolations)
          .thenComparing(c -> !c.holdsImage())
          .thenComparingLong(c -> -c.freeMemoryMib())
          .thenComparing(c -> c.node().node());

  /** Names the first criterion on which the winner beats the runner-up. */
  private static String why(Candidate best, List<Candidate> ranked, String image) {
    String broken = best.softViolations() == 0 ? ""
        : " (breaks " + best.softViolations() + " soft group rule" + (best.softViolations() == 1 ? "" : "s") + ")";
    if (ranked.size() == 1) {
      return "the only fitting node (" + best.freeMemoryMib() + " MiB free)" + broken;
    }
    String of = " of " + ranked.size() + " fitting nodes";
    Candidate next = ranked.get(1);
    if (best.softViolations() < next.softViolations()) {
      return "fewest soft group-rule conflicts (" + best.softViolations() + ")" + of;
    }
    if (best.holdsImage() && !next.holdsImage()) {
      return "holds image '" + image + "' (no pull)" + of + broken;
    }
    if (best.freeMemoryMib() > next.freeMemoryMib()) {
      return "most free memory (" + best.freeMemoryMib() + " MiB)" + of + broken;
    }
    return "first by name" + of + " with " + best.freeMemoryMib() + " MiB free" + broken;
  }
}
