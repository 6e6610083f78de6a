package io.novacron.workflows.fleet;

import static io.novacron.workflows.fleet.FleetFixtures.NOW;
import static io.novacron.workflows.fleet.FleetFixtures.cordoned;
import static io.novacron.workflows.fleet.FleetFixtures.inState;
import static io.novacron.workflows.fleet.FleetFixtures.labelled;
import static io.novacron.workflows.fleet.FleetFixtures.node;
import static io.novacron.workflows.fleet.FleetFixtures.reserved;
import static io.novacron.workflows.fleet.FleetFixtures.stale;
import static io.novacron.workflows.fleet.FleetFixtures.vm;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.novacron.workflows.migrate.MigrationMode;
import io.novacron.workflows.provision.NodeCapacity;
import io.novacron.workflows.provision.PlacementPolicy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RebalancePlannerTest {

  /** A node of 16 GiB and 4 CPUs that holds exactly the given VMs. */
  private static NodeCapacity holding(String name, List<VmLoad> fleet) {
    NodeCapacity n = node(name, 4, 16384);
    for (VmLoad vm : fleet) {
      if (vm.node().equals(name)) {
        n = vm.heldOn(n);
      }
    }
    return n;
  }

  private static List<VmLoad> vms(String node, int count, long memoryMib) {
    List<VmLoad> vms = new ArrayList<>();
    for (int i = 1; i <= count; i++) {
      vms.add(vm(node + "-vm-" + i, node, 1, memoryMib));
    }
    return vms;
  }

  private static RebalancePlanner.RebalancePlan plan(List<NodeCapacity> nodes, List<VmLoad> fleet, int maxMoves) {
    return RebalancePlanner.plan(nodes, fleet, maxMoves, NOW, Set.of());
  }

  /** Replays the plan on the fleet: where each VM ends. */
  private static Map<String, String> after(List<VmLoad> fleet, RebalancePlanner.RebalancePlan plan) {
    Map<String, String> where = new HashMap<>();
    fleet.forEach(vm -> where.put(vm.name(), vm.node()));
    plan.moves().forEach(m -> {
      assertThat(where.get(m.vm())).as("source of %s", m.vm()).isEqualTo(m.source());
      where.put(m.vm(), m.target());
    });
    return where;
  }

  @Test
  void minGainIsFivePercentagePoints() {
    assertThat(RebalancePlanner.MIN_GAIN).isEqualTo(0.05);
  }

  @Test
  void aBalancedClusterGetsNoMoves() {
    List<VmLoad> fleet = new ArrayList<>();
    fleet.addAll(vms("lab-a", 4, 2048)); // 50%
    fleet.addAll(vms("lab-b", 4, 2048));
    fleet.add(vm("lab-c-vm-1", "lab-c", 1, 8192 - 640)); // 46%
    List<NodeCapacity> nodes = List.of(holding("lab-a", fleet), holding("lab-b", fleet), holding("lab-c", fleet));

    RebalancePlanner.RebalancePlan plan = plan(nodes, fleet, 5);

    assertThat(plan.moves()).isEmpty();
    assertThat(plan.spreadBefore()).isCloseTo(0.0390625, within(1e-9));
    assertThat(plan.spreadAfter()).isEqualTo(plan.spreadBefore());
    assertThat(plan.after()).isEqualTo(plan.before());
    assertThat(plan.summary()).isEqualTo("already balanced: spread 4% is under 5%");
  }

  @Test
  void oneOverloadedNodeSpreadsOntoTwoEmptyOnes() {
    List<VmLoad> fleet = vms("lab-a", 6, 2048); // 12 of 16 GiB: 75%
    List<NodeCapacity> nodes = List.of(holding("lab-a", fleet), holding("lab-b", fleet), holding("lab-c", fleet));

    RebalancePlanner.RebalancePlan plan = plan(nodes, fleet, 10);

    assertThat(plan.spreadBefore()).isEqualTo(0.75);
    assertThat(plan.spreadAfter()).isZero(); // 2 VMs each, 25% everywhere
    assertThat(plan.moves()).hasSize(4);
    assertThat(plan.moves()).allSatisfy(m -> {
      assertThat(m.source()).isEqualTo("lab-a");
      assertThat(m.mode()).isEqualTo(MigrationMode.LIVE);
      assertThat(m.policy()).isEqualTo(DrainPolicy.SKIP);
    });
    assertThat(plan.moves()).extracting(PlannedMove::target).containsExactly("lab-b", "lab-c", "lab-b", "lab-c");
    assertThat(plan.moves().get(0).why()).isEqualTo("lab-a 75% → 63% memory, lab-b 0% → 13%");
    assertThat(plan.before()).containsExactly(new RebalancePlanner.NodeUse("lab-a", 0.75, 6 / 16.0, 6),
        new RebalancePlanner.NodeUse("lab-b", 0, 0, 0), new RebalancePlanner.NodeUse("lab-c", 0, 0, 0));
    assertThat(plan.after()).extracting(RebalancePlanner.NodeUse::vms).containsExactly(2, 2, 2);
    assertThat(plan.after()).allSatisfy(u -> {
      assertThat(u.memoryShare()).isEqualTo(0.25);
      assertThat(u.cpuShare()).isLessThanOrEqualTo(1.0);
    });
    assertThat(plan.summary()).isEqualTo("4 moves bring the memory spread from 75% to 0% (cap 10)");
  }

  @Test
  void movesStayWithinEveryNodesCapacity() {
    // lab-b has little memory and lab-c little CPU: neither may be overfilled to even things out.
    List<VmLoad> fleet = new ArrayList<>(vms("lab-a", 7, 2048));
    NodeCapacity a = holding("lab-a", fleet);
    NodeCapacity b = node("lab-b", 4, 4096);
    NodeCapacity c = node("lab-c", 1, 65536); // 4 vCPUs
    RebalancePlanner.RebalancePlan plan = plan(List.of(a, b, c), fleet, 10);

    assertThat(plan.moves()).isNotEmpty();
    assertThat(plan.spreadAfter()).isLessThan(plan.spreadBefore());
    assertThat(plan.after()).allSatisfy(u -> {
      assertThat(u.memoryShare()).isLessThanOrEqualTo(1.0);
      assertThat(u.cpuShare()).isLessThanOrEqualTo(1.0);
    });
    assertThat(plan.moves().stream().filter(m -> m.target().equals("lab-b")).count()).isLessThanOrEqualTo(2);
    assertThat(plan.moves().stream().filter(m -> m.target().equals("lab-c")).count()).isLessThanOrEqualTo(4);
  }

  @Test
  void theMaxMovesCapIsHonoured() {
    List<VmLoad> fleet = vms("lab-a", 6, 2048);
    List<NodeCapacity> nodes = List.of(holding("lab-a", fleet), holding("lab-b", fleet), holding("lab-c", fleet));

    RebalancePlanner.RebalancePlan plan = plan(nodes, fleet, 1);

    assertThat(plan.moves()).hasSize(1);
    assertThat(plan.spreadAfter()).isEqualTo(0.625);
    assertThat(plan.summary()).isEqualTo("1 move brings the memory spread from 75% to 63% (cap 1)");
  }

  @Test
  void maxMovesUnderOneIsRefused() {
    assertThatThrownBy(() -> plan(List.of(), List.of(), 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxMoves");
    assertThatThrownBy(() -> plan(List.of(), List.of(), -3))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxMoves");
  }

  @Test
  void cordonedAndStaleNodesNeitherGiveNorTake() {
    List<VmLoad> fleet = new ArrayList<>();
    fleet.addAll(vms("lab-a", 6, 2048)); // 75%, cordoned: its VMs stay
    fleet.addAll(vms("lab-b", 5, 2048)); // 62.5%
    fleet.addAll(vms("lab-e", 7, 2048)); // 87.5%, stale: its VMs stay
    List<NodeCapacity> nodes = List.of(cordoned(holding("lab-a", fleet)), holding("lab-b", fleet),
        holding("lab-c", fleet), stale(holding("lab-d", fleet)), stale(holding("lab-e", fleet)));

    RebalancePlanner.RebalancePlan plan = plan(nodes, fleet, 10);

    assertThat(plan.moves()).isNotEmpty().allSatisfy(m -> {
      assertThat(m.source()).isEqualTo("lab-b");
      assertThat(m.target()).isEqualTo("lab-c");
    });
    assertThat(plan.before()).extracting(RebalancePlanner.NodeUse::node).containsExactly("lab-b", "lab-c");
    assertThat(plan.spreadBefore()).isEqualTo(0.625);
    assertThat(plan.summary()).endsWith("; not counted: lab-a (cordoned), lab-d (stale), lab-e (stale)");
  }

  @Test
  void withFewerThanTwoNodesTakingPartThereIsNothingToBalance() {
    List<VmLoad> fleet = vms("lab-a", 6, 2048);
    RebalancePlanner.RebalancePlan plan =
        plan(List.of(holding("lab-a", fleet), cordoned(holding("lab-b", fleet))), fleet, 5);
    assertThat(plan.moves()).isEmpty();
    assertThat(plan.summary()).isEqualTo("nothing to balance: 1 node takes part; uncordon or bring back a node to "
        + "balance onto; not counted: lab-b (cordoned)");
  }

  @Test
  void onlyRunningVmsMove() {
    List<VmLoad> fleet = new ArrayList<>();
    for (VmLoad vm : vms("lab-a", 6, 2048)) {
      fleet.add(inState(vm, "shutoff"));
    }
    List<NodeCapacity> nodes = List.of(holding("lab-a", fleet), holding("lab-b", fleet));
    RebalancePlanner.RebalancePlan plan = plan(nodes, fleet, 5);
    assertThat(plan.moves()).isEmpty();
    assertThat(plan.summary()).isEqualTo("no move lowers the spread by 5% (it is 75%): no running VM of lab-a fits "
        + "where it would help; add capacity, resize VMs or relax their group rules");
  }

  @Test
  void aMoveMustGainAtLeastMinGain() {
    // Moving the only VM of lab-a (1 GiB of 16: 6.25%) to an empty lab-b gains nothing: the spread stays 6.25%.
    List<VmLoad> fleet = List.of(vm("small", "lab-a", 1, 1024));
    RebalancePlanner.RebalancePlan plan = plan(List.of(holding("lab-a", fleet), holding("lab-b", fleet)), fleet, 5);
    assertThat(plan.moves()).isEmpty();
    // Two VMs of 1.5 GiB: moving one brings the spread from 18.75% to 0%.
    List<VmLoad> two = List.of(vm("x", "lab-a", 1, 1536), vm("y", "lab-a", 1, 1536));
    assertThat(plan(List.of(holding("lab-a", two), holding("lab-b", two)), two, 5).moves())
        .extracting(PlannedMove::vm).containsExactly("x");
    // lab-a 10.9%, lab-b 3.1%: moving the 256 MiB VM lowers the spread from 7.8% to 4.7%, by less than 5%.
    List<VmLoad> uneven = List.of(vm("big", "lab-a", 1, 1536), vm("crumb", "lab-a", 1, 256), vm("z", "lab-b", 1, 512));
    RebalancePlanner.RebalancePlan small = plan(List.of(holding("lab-a", uneven), holding("lab-b", uneven)), uneven, 5);
    assertThat(small.moves()).isEmpty();
    assertThat(small.summary()).startsWith("no move lowers the spread by 5% (it is 8%)");
    // A VM whose move would make the spread worse (lab-b ends fuller than lab-a was) stays.
    List<VmLoad> big = List.of(vm("big", "lab-a", 1, 12288), vm("tiny", "lab-b", 1, 0));
    assertThat(plan(List.of(holding("lab-a", big), holding("lab-b", big)), big, 5).moves()).isEmpty();
  }

  @Test
  void aVmsOwnDrainPolicyLabelIsKept() {
    List<VmLoad> fleet = List.of(labelled(vm("x", "lab-a", 1, 4096), Map.of(DrainPolicy.LABEL, "live-then-cold")),
        vm("y", "lab-a", 1, 4096));
    RebalancePlanner.RebalancePlan plan = plan(List.of(holding("lab-a", fleet), holding("lab-b", fleet)), fleet, 5);
    assertThat(plan.moves()).singleElement().satisfies(m -> {
      assertThat(m.vm()).isEqualTo("x");
      assertThat(m.policy()).isEqualTo(DrainPolicy.LIVE_THEN_COLD);
    });
  }

  @Test
  void hardAntiAffinityIsRespected() {
    Map<String, String> web = Map.of(GroupRules.ANTI_AFFINITY, "web");
    List<VmLoad> fleet = new ArrayList<>();
    fleet.add(labelled(vm("web-1", "lab-a", 1, 4096), web));
    fleet.add(labelled(vm("web-2", "lab-a", 1, 4096), web)); // already breaks the rule; rebalance must not add to it
    fleet.add(vm("other", "lab-a", 1, 4096));
    fleet.add(labelled(vm("web-3", "lab-b", 1, 1024), web));
    List<NodeCapacity> nodes = List.of(holding("lab-a", fleet), holding("lab-b", fleet), holding("lab-c", fleet));

    RebalancePlanner.RebalancePlan plan = plan(nodes, fleet, 10);

    Map<String, String> where = after(fleet, plan);
    assertThat(plan.moves()).isNotEmpty();
    assertThat(plan.moves()).noneSatisfy(m -> {
      assertThat(m.vm()).startsWith("web-");
      assertThat(m.target()).isEqualTo("lab-b");
    });
    // other goes to the empty lab-c (a tie with web-1 and web-2, broken by name). Then moving web-1 or web-2
    // to lab-b would bring the spread from 44% to 6%, but web-3 is there; to lab-c gains nothing. So it stops.
    assertThat(plan.moves()).extracting(PlannedMove::vm, PlannedMove::target)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("other", "lab-c"));
    assertThat(where.get("web-1")).isEqualTo("lab-a");
    assertThat(where.get("web-2")).isEqualTo("lab-a");
  }

  @Test
  void hardAffinityIsRespected() {
    Map<String, String> db = Map.of(GroupRules.AFFINITY, "db");
    List<VmLoad> fleet = List.of(labelled(vm("db-1", "lab-a", 1, 6144), db), labelled(vm("db-2", "lab-a", 1, 6144), db));
    RebalancePlanner.RebalancePlan plan = plan(List.of(holding("lab-a", fleet), holding("lab-b", fleet)), fleet, 5);
    assertThat(plan.moves()).isEmpty();
  }

  @Test
  void aVmMovesAtMostOncePerPlan() {
    Map<String, String> g = Map.of(GroupRules.ANTI_AFFINITY, "g");
    List<VmLoad> fleet = List.of(vm("v0", "lab-b", 1, 7168), vm("v1", "lab-a", 1, 8192),
        labelled(vm("v2", "lab-b", 1, 1024), g), labelled(vm("v3", "lab-a", 1, 6144), g));
    NodeCapacity a = holding("lab-a", fleet); // 16 GiB, 88%
    NodeCapacity b = node("lab-b", 4, 8192); // 8 GiB, 100%
    b = fleet.get(2).heldOn(fleet.get(0).heldOn(b));
    NodeCapacity c = holding("lab-c", fleet); // empty

    RebalancePlanner.RebalancePlan plan = plan(List.of(a, b, c), fleet, 10);

    // v0 and v3 fill lab-c; the greedy step after that would send v0 straight back to lab-b.
    assertThat(plan.moves()).extracting(PlannedMove::vm, PlannedMove::target)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("v0", "lab-c"),
            org.assertj.core.groups.Tuple.tuple("v3", "lab-c"));
  }

  @Test
  void noVmMovesTwiceAndCapacityAndRulesHoldOnABusyFleet() {
    Random random = new Random(42);
    List<VmLoad> fleet = new ArrayList<>();
    String[] nodeNames = {"lab-a", "lab-b", "lab-c", "lab-d", "lab-e"};
    for (int i = 0; i < 40; i++) {
      // Skewed: most VMs start on the first two nodes.
      String node = nodeNames[Math.min(4, (int) Math.abs(random.nextGaussian() * 1.5))];
      VmLoad vm = vm(String.format("vm-%02d", i), node, 1 + random.nextInt(2), 256L * (1 + random.nextInt(6)));
      fleet.add(i % 4 == 0 ? labelled(vm, Map.of(GroupRules.ANTI_AFFINITY, "g" + (i % 8))) : vm);
    }
    List<NodeCapacity> nodes = new ArrayList<>();
    for (String name : nodeNames) {
      NodeCapacity n = node(name, 8, 16384);
      for (VmLoad vm : fleet) {
        if (vm.node().equals(name)) {
          n = vm.heldOn(n);
        }
      }
      nodes.add(n);
    }

    RebalancePlanner.RebalancePlan plan = plan(nodes, fleet, 30);

    assertThat(plan.moves()).isNotEmpty().hasSizeLessThanOrEqualTo(30);
    assertThat(plan.moves()).extracting(PlannedMove::vm).doesNotHaveDuplicates();
    assertThat(plan.spreadAfter()).isLessThanOrEqualTo(plan.spreadBefore() - RebalancePlanner.MIN_GAIN);
    assertThat(plan.after()).allSatisfy(u -> {
      assertThat(u.memoryShare()).isLessThanOrEqualTo(1.0);
      assertThat(u.cpuShare()).isLessThanOrEqualTo(1.0);
    });
    Map<String, String> where = after(fleet, plan);
    for (PlannedMove m : plan.moves()) {
      VmLoad vm = fleet.stream().filter(v -> v.name().equals(m.vm())).findFirst().orElseThrow();
      String group = vm.labels().get(GroupRules.ANTI_AFFINITY);
      if (group != null) {
        assertThat(fleet).filteredOn(o -> group.equals(o.labels().get(GroupRules.ANTI_AFFINITY))
                && !o.name().equals(vm.name()))
            .as("%s shares %s with another member of %s", vm.name(), m.target(), group)
            .noneMatch(o -> where.get(o.name()).equals(m.target()));
      }
    }
  }

  @Test
  void thePlanIsTheSameWhateverTheInputOrder() {
    List<VmLoad> fleet = new ArrayList<>(vms("lab-a", 6, 2048));
    fleet.addAll(vms("lab-b", 1, 1024));
    List<NodeCapacity> nodes = new ArrayList<>(List.of(holding("lab-a", fleet), holding("lab-b", fleet),
        holding("lab-c", fleet), reserved(node("lab-d", 4, 16384), 0, 512)));

    RebalancePlanner.RebalancePlan first = plan(nodes, fleet, 5);
    Collections.reverse(fleet);
    Collections.reverse(nodes);
    RebalancePlanner.RebalancePlan second = plan(nodes, fleet, 5);

    assertThat(second).isEqualTo(first);
    assertThat(first.moves()).isNotEmpty();
  }

  @Test
  void cpuSharesCountTheOvercommit() {
    List<VmLoad> fleet = List.of(vm("x", "lab-a", 8, 1024));
    RebalancePlanner.RebalancePlan plan = plan(List.of(holding("lab-a", fleet)), fleet, 1);
    assertThat(plan.before()).singleElement().extracting(RebalancePlanner.NodeUse::cpuShare)
        .isEqualTo(8.0 / (4 * PlacementPolicy.VCPU_OVERCOMMIT));
  }
}
