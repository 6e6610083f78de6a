package io.novacron.workflows.fleet;

import static io.novacron.workflows.fleet.FleetFixtures.NOW;
import static io.novacron.workflows.fleet.FleetFixtures.cordoned;
import static io.novacron.workflows.fleet.FleetFixtures.inState;
import static io.novacron.workflows.fleet.FleetFixtures.labelled;
import static io.novacron.workflows.fleet.FleetFixtures.node;
import static io.novacron.workflows.fleet.FleetFixtures.reserved;
import static io.novacron.workflows.fleet.FleetFixtures.vm;
import static org.assertj.core.api.Assertions.assertThat;

import io.novacron.workflows.migrate.MigrationMode;
import io.novacron.workflows.provision.NodeCapacity;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DrainPlannerTest {
  private static final NodeCapacity LAB_A = cordoned(node("lab-a", 8, 16384));

  private static DrainPlanner.DrainPlan drain(List<VmLoad> fleet, NodeCapacity... nodes) {
    return DrainPlanner.plan("lab-a", fleet, List.of(nodes), DrainPolicy.LIVE_OR_FAIL, NOW, Set.of());
  }

  @Test
  void eachRunningVmGetsALiveMoveWithItsOwnPolicyOrTheDefault() {
    VmLoad web1 = vm("web-1", "lab-a", 1, 1024);
    VmLoad web2 = labelled(vm("web-2", "lab-a", 1, 512), Map.of(DrainPolicy.LABEL, "skip"));
    DrainPlanner.DrainPlan plan = drain(List.of(web1, web2), LAB_A, node("lab-b", 8, 8192));

    assertThat(plan.node()).isEqualTo("lab-a");
    assertThat(plan.moves()).containsExactly(
        new PlannedMove("web-1", "lab-a", "lab-b", MigrationMode.LIVE, DrainPolicy.LIVE_OR_FAIL,
            "the only fitting node (8192 MiB free)"),
        new PlannedMove("web-2", "lab-a", "lab-b", MigrationMode.LIVE, DrainPolicy.SKIP,
            "the only fitting node (7168 MiB free)"));
    assertThat(plan.stays()).isEmpty();
    assertThat(plan.empties()).isTrue();
  }

  @Test
  void onlyTheVmsOfTheDrainedNodeArePlanned() {
    List<VmLoad> fleet = List.of(vm("web-1", "lab-a", 1, 1024), vm("db-1", "lab-b", 1, 1024),
        inState(vm("old", "lab-b", 1, 1024), "shutoff"));
    DrainPlanner.DrainPlan plan = drain(fleet, LAB_A, node("lab-b", 8, 8192));
    assertThat(plan.moves()).extracting(PlannedMove::vm).containsExactly("web-1");
    assertThat(plan.stays()).isEmpty();
  }

  @Test
  void aVmThatDoesNotRunStaysAndTheReasonNamesItsState() {
    List<VmLoad> fleet = List.of(inState(vm("old", "lab-a", 1, 1024), "shutoff"),
        inState(vm("frozen", "lab-a", 1, 2048), "paused"));
    DrainPlanner.DrainPlan plan = drain(fleet, LAB_A, node("lab-b", 8, 8192));
    assertThat(plan.moves()).isEmpty();
    assertThat(plan.stays()).containsExactly(
        new Stay("frozen", "paused: MigrateVm moves running guests only; start it to move it, or delete it"),
        new Stay("old", "shutoff: MigrateVm moves running guests only; start it to move it, or delete it"));
    assertThat(plan.empties()).isFalse();
  }

  @Test
  void aMissingVmStaysBecauseNoNodeAnnouncesIt() {
    DrainPlanner.DrainPlan plan = drain(List.of(inState(vm("ghost", "lab-a", 1, 1024), "missing")), LAB_A,
        node("lab-b", 8, 8192));
    assertThat(plan.moves()).isEmpty();
    assertThat(plan.stays()).singleElement().satisfies(stay -> {
      assertThat(stay.vm()).isEqualTo("ghost");
      assertThat(stay.reason()).startsWith("missing: no node announces it").contains("delete it");
    });
  }

  @Test
  void capacityIsSimulatedAcrossTheMovesOfOnePlan() {
    // lab-b has 4 GiB free, lab-c 3.5 GiB: the first 3 GiB VM takes lab-b, the second no longer fits there.
    NodeCapacity b = reserved(node("lab-b", 8, 8192), 0, 4096);
    NodeCapacity c = reserved(node("lab-c", 8, 8192), 0, 4608);
    List<VmLoad> fleet = List.of(vm("vm-1", "lab-a", 1, 3072), vm("vm-2", "lab-a", 1, 3072));
    DrainPlanner.DrainPlan plan = drain(fleet, LAB_A, b, c);

    assertThat(plan.moves()).extracting(PlannedMove::vm, PlannedMove::target)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("vm-1", "lab-b"),
            org.assertj.core.groups.Tuple.tuple("vm-2", "lab-c"));
    assertThat(plan.empties()).isTrue();
  }

  @Test
  void aRunningVmNoNodeCanTakeStaysWithEveryRefusal() {
    NodeCapacity b = reserved(node("lab-b", 8, 8192), 0, 4096); // 4 GiB free: room for one
    List<VmLoad> fleet = List.of(vm("vm-1", "lab-a", 1, 3072), vm("vm-2", "lab-a", 1, 3072));
    DrainPlanner.DrainPlan plan = drain(fleet, LAB_A, b);

    assertThat(plan.moves()).extracting(PlannedMove::vm).containsExactly("vm-1");
    assertThat(plan.stays()).containsExactly(new Stay("vm-2",
        "no node can take it: lab-a: it runs there; lab-b: needs 3072 MiB memory, 1024 MiB free"));
    assertThat(plan.empties()).isFalse();
  }

  @Test
  void vcpusAreSimulatedToo() {
    NodeCapacity b = node("lab-b", 1, 65536); // 4 vCPUs with overcommit
    List<VmLoad> fleet = List.of(vm("vm-1", "lab-a", 3, 1024), vm("vm-2", "lab-a", 2, 1024));
    DrainPlanner.DrainPlan plan = drain(fleet, LAB_A, b);
    assertThat(plan.moves()).extracting(PlannedMove::vm).containsExactly("vm-1");
    assertThat(plan.stays()).singleElement().extracting(Stay::reason).asString()
        .endsWith("lab-b: needs 2 vCPUs, 1 free");
  }

  @Test
  void largestMemoryFirstThenMostVcpusThenName() {
    List<VmLoad> fleet = List.of(vm("d", "lab-a", 1, 1024), vm("c", "lab-a", 2, 1024), vm("b", "lab-a", 1, 1024),
        vm("a", "lab-a", 1, 512), vm("e", "lab-a", 1, 4096));
    DrainPlanner.DrainPlan plan = drain(fleet, LAB_A, node("lab-b", 8, 65536));
    assertThat(plan.moves()).extracting(PlannedMove::vm).containsExactly("e", "c", "b", "d", "a");
  }

  @Test
  void theLargestVmGetsTheRoomWhenOnlyOneCanHaveIt() {
    // Planned smallest first, the 1 GiB VM would take lab-b and the 3 GiB one would stay.
    NodeCapacity b = reserved(node("lab-b", 8, 8192), 0, 4096);
    NodeCapacity c = reserved(node("lab-c", 8, 8192), 0, 6144); // 2 GiB free
    List<VmLoad> fleet = List.of(vm("small", "lab-a", 1, 1024), vm("big", "lab-a", 1, 3072));
    DrainPlanner.DrainPlan plan = drain(fleet, LAB_A, b, c);
    assertThat(plan.moves()).extracting(PlannedMove::vm, PlannedMove::target)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("big", "lab-b"),
            org.assertj.core.groups.Tuple.tuple("small", "lab-c"));
    assertThat(plan.empties()).isTrue();
  }

  @Test
  void aCordonedNodeIsNeverATarget() {
    NodeCapacity bigCordoned = cordoned(node("lab-b", 64, 262144));
    DrainPlanner.DrainPlan plan = drain(List.of(vm("web-1", "lab-a", 1, 1024)), LAB_A, bigCordoned,
        node("lab-c", 2, 2048));
    assertThat(plan.moves()).extracting(PlannedMove::target).containsExactly("lab-c");

    DrainPlanner.DrainPlan nowhere = drain(List.of(vm("web-1", "lab-a", 1, 1024)), LAB_A, bigCordoned);
    assertThat(nowhere.stays()).singleElement().extracting(Stay::reason).asString()
        .contains("lab-b: cordoned (maintenance)");
  }

  @Test
  void hardAntiAffinitySeesTheEarlierMovesOfThePlan() {
    Map<String, String> web = Map.of(GroupRules.ANTI_AFFINITY, "web");
    List<VmLoad> fleet = List.of(labelled(vm("web-1", "lab-a", 1, 1024), web),
        labelled(vm("web-2", "lab-a", 1, 1024), web));

    DrainPlanner.DrainPlan spread = drain(fleet, LAB_A, node("lab-b", 8, 8192), node("lab-c", 8, 8192));
    assertThat(spread.moves()).extracting(PlannedMove::target).containsExactly("lab-b", "lab-c");

    DrainPlanner.DrainPlan oneTarget = drain(fleet, LAB_A, node("lab-b", 8, 8192));
    assertThat(oneTarget.moves()).extracting(PlannedMove::vm).containsExactly("web-1");
    assertThat(oneTarget.stays()).singleElement().extracting(Stay::reason).asString()
        .contains("lab-b: anti-affinity group 'web': lab-b already runs web-1;");
  }

  @Test
  void hardAffinityKeepsTheGroupTogetherAcrossMoves() {
    Map<String, String> db = Map.of(GroupRules.AFFINITY, "db");
    // The first member takes the roomier lab-c; the second follows it although lab-b has more room by then.
    NodeCapacity b = reserved(node("lab-b", 8, 8192), 0, 2048); // 6 GiB free
    NodeCapacity c = node("lab-c", 8, 8192); // 8 GiB free, 5 after db-1
    List<VmLoad> fleet = List.of(labelled(vm("db-1", "lab-a", 1, 3072), db),
        labelled(vm("db-2", "lab-a", 1, 1024), db));
    DrainPlanner.DrainPlan plan = drain(fleet, LAB_A, b, c);
    assertThat(plan.moves()).extracting(PlannedMove::target).containsExactly("lab-c", "lab-c");
    assertThat(plan.moves().get(1).why()).isEqualTo("the only fitting node (5120 MiB free)");
  }

  @Test
  void whenAnAffinityMemberStaysTheRestOfItsGroupStaysWithIt() {
    Map<String, String> db = Map.of(GroupRules.AFFINITY, "db");
    // db-1 (16 GiB) fits nowhere; moving db-2 alone would split the group.
    List<VmLoad> fleet = List.of(labelled(vm("db-1", "lab-a", 1, 16384), db),
        labelled(vm("db-2", "lab-a", 1, 1024), db));
    DrainPlanner.DrainPlan plan = drain(fleet, LAB_A, node("lab-b", 8, 8192));
    assertThat(plan.moves()).isEmpty();
    assertThat(plan.stays()).extracting(Stay::vm).containsExactly("db-1", "db-2");
    assertThat(plan.stays().get(1).reason())
        .contains("lab-b: affinity group 'db': its members run on lab-a (db-1), not on lab-b");
  }

  @Test
  void aStoppedAffinityMemberHoldsTheGroupOnTheNode() {
    Map<String, String> db = Map.of(GroupRules.AFFINITY, "db");
    List<VmLoad> fleet = List.of(labelled(vm("db-1", "lab-a", 1, 1024), db),
        inState(labelled(vm("db-2", "lab-a", 1, 1024), db), "shutoff"));
    DrainPlanner.DrainPlan plan = drain(fleet, LAB_A, node("lab-b", 8, 8192));
    assertThat(plan.moves()).isEmpty();
    assertThat(plan.stays()).extracting(Stay::vm).containsExactly("db-1", "db-2");
    assertThat(plan.stays().get(0).reason()).contains("its members run on lab-a (db-2)");
  }

  @Test
  void softAntiAffinitySpreadsTheMovesOfOnePlan() {
    Map<String, String> web = Map.of(GroupRules.SOFT_ANTI_AFFINITY, "web");
    List<VmLoad> fleet = List.of(labelled(vm("web-1", "lab-a", 1, 1024), web),
        labelled(vm("web-2", "lab-a", 1, 1024), web));
    // lab-b has much more room, but web-2 goes where web-1 is not.
    DrainPlanner.DrainPlan plan = drain(fleet, LAB_A, node("lab-b", 8, 65536), node("lab-c", 8, 8192));
    assertThat(plan.moves()).extracting(PlannedMove::target).containsExactly("lab-b", "lab-c");
    assertThat(plan.moves().get(1).why()).startsWith("fewest soft group-rule conflicts");
  }

  @Test
  void thePlanDoesNotDependOnInputOrder() {
    List<VmLoad> fleet = new ArrayList<>(List.of(vm("a", "lab-a", 1, 1024), vm("b", "lab-a", 1, 1024),
        vm("c", "lab-a", 2, 2048), inState(vm("d", "lab-a", 1, 512), "shutoff")));
    List<NodeCapacity> nodes = new ArrayList<>(List.of(LAB_A, node("lab-b", 8, 4096), node("lab-c", 8, 4096)));
    DrainPlanner.DrainPlan first = DrainPlanner.plan("lab-a", fleet, nodes, DrainPolicy.SKIP, NOW, Set.of());
    Collections.reverse(fleet);
    Collections.reverse(nodes);
    DrainPlanner.DrainPlan second = DrainPlanner.plan("lab-a", fleet, nodes, DrainPolicy.SKIP, NOW, Set.of());
    assertThat(second).isEqualTo(first);
    // c (2 GiB) first, tie on room goes to lab-b; then a and b to lab-c, which has more room left.
    assertThat(first.moves()).extracting(PlannedMove::vm).containsExactly("c", "a", "b");
    assertThat(first.moves()).extracting(PlannedMove::target).containsExactly("lab-b", "lab-c", "lab-c");
  }

  @Test
  void anEmptyNodeIsAlreadyEmpty() {
    DrainPlanner.DrainPlan plan = drain(List.of(vm("web-1", "lab-b", 1, 1024)), LAB_A, node("lab-b", 8, 8192));
    assertThat(plan.moves()).isEmpty();
    assertThat(plan.empties()).isTrue();
  }
}
