package io.novacron.workflows.fleet;

import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Affinity and anti-affinity of VM groups, as Nova's server groups: a VM joins a group by a label
 * whose value is the group's name, e.g. {@code novacron.io/anti-affinity=web}. Each label key is
 * its own namespace, so group "web" under {@link #ANTI_AFFINITY} has nothing to do with "web" under
 * {@link #AFFINITY}.
 *
 * <p>The hard rules ({@link #refusal}) refuse a node; the soft rules ({@link #softViolations}) only
 * rank nodes. Every VM of the fleet counts where it is (or where the plan puts it), running or not:
 * a stopped member starts again on its node and would then break the rule all the same. A blank
 * label value is no group.
 */
public final class GroupRules {
  /** Hard: no two members of the group on one node. */
  public static final String ANTI_AFFINITY = "novacron.io/anti-affinity";
  /** Soft: members of the group prefer different nodes. */
  public static final String SOFT_ANTI_AFFINITY = "novacron.io/soft-anti-affinity";
  /** Hard: all members of the group on one node. */
  public static final String AFFINITY = "novacron.io/affinity";
  /** Soft: members of the group prefer one node. */
  public static final String SOFT_AFFINITY = "novacron.io/soft-affinity";

  private GroupRules() {}

  /**
   * Why a hard group rule keeps {@code vm} off {@code node}, or null when none does.
   *
   * @param vm the VM to place (its own entry in {@code fleet}, by name, is ignored)
   * @param node the candidate node
   * @param fleet every VM with its current or planned node
   */
  public static String refusal(VmLoad vm, String node, Collection<VmLoad> fleet) {
    String anti = group(vm, ANTI_AFFINITY);
    if (anti != null) {
      List<String> there = membersOn(vm, ANTI_AFFINITY, anti, node, fleet);
      if (!there.isEmpty()) {
        return "anti-affinity group '" + anti + "': " + node + " already runs " + String.join(", ", there)
            + "; add a node or remove the label " + ANTI_AFFINITY + " from " + vm.name();
      }
    }
    String affinity = group(vm, AFFINITY);
    if (affinity != null) {
      TreeMap<String, TreeSet<String>> byNode = membersByNode(vm, AFFINITY, affinity, fleet);
      // No other member anywhere: the first member founds the group wherever it fits.
      if (!byNode.isEmpty() && !byNode.containsKey(node)) {
        return "affinity group '" + affinity + "': its members run on " + describe(byNode) + ", not on " + node
            + "; make room there, move the group together, or remove the label " + AFFINITY + " from " + vm.name();
      }
    }
    return null;
  }

  /**
   * How many soft group rules placing {@code vm} on {@code node} breaks, for ranking nodes: one per
   * member of its soft anti-affinity group already on the node, plus one when its soft affinity
   * group has members but none on the node.
   */
  public static int softViolations(VmLoad vm, String node, Collection<VmLoad> fleet) {
    int violations = 0;
    String anti = group(vm, SOFT_ANTI_AFFINITY);
    if (anti != null) {
      violations += membersOn(vm, SOFT_ANTI_AFFINITY, anti, node, fleet).size();
    }
    String affinity = group(vm, SOFT_AFFINITY);
    if (affinity != null) {
      TreeMap<String, TreeSet<String>> byNode = membersByNode(vm, SOFT_AFFINITY, affinity, fleet);
      if (!byNode.isEmpty() && !byNode.containsKey(node)) {
        violations++;
      }
    }
    return violations;
  }

  /** The VM's group under {@code key}, or null when it has none. */
  private static String group(VmLoad vm, String key) {
    String value = vm.labels().get(key);
    return value == null || value.isBlank() ? null : value;
  }

  /** The other members of the group on {@code node}, by name. */
  private static List<String> membersOn(VmLoad vm, String key, String group, String node,
      Collection<VmLoad> fleet) {
    TreeSet<String> there = membersByNode(vm, key, group, fleet).get(node);
    return there == null ? List.of() : List.copyOf(there);
  }

  /** The other members of the group, by node; sorted so that texts do not depend on input order. */
  private static TreeMap<String, TreeSet<String>> membersByNode(VmLoad vm, String key, String group,
      Collection<VmLoad> fleet) {
    TreeMap<String, TreeSet<String>> byNode = new TreeMap<>();
    for (VmLoad other : fleet) {
      if (other.name().equals(vm.name()) || other.node() == null) {
        continue;
      }
      if (Objects.equals(group, group(other, key))) {
        byNode.computeIfAbsent(other.node(), n -> new TreeSet<>()).add(other.name());
      }
    }
    return byNode;
  }

  /** E.g. {@code lab-a (db-1, db-2)} or {@code lab-a (db-1) and lab-b (db-2)}. */
  private static String describe(TreeMap<String, TreeSet<String>> byNode) {
    List<String> parts = byNode.entrySet().stream()
        .map(e -> e.getKey() + " (" + String.join(", ", e.getValue()) + ")")
        .toList();
    return parts.size() == 1 ? parts.get(0)
        : String.join(", ", parts.subList(0, parts.size() - 1)) + " and " + parts.get(parts.size() - 1);
  }
}
