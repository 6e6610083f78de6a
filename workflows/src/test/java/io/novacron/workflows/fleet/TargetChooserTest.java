package io.novacron.workflows.fleet;

import static io.novacron.workflows.fleet.FleetFixtures.NOW;
import static io.novacron.workflows.fleet.FleetFixtures.cordoned;
import static io.novacron.workflows.fleet.FleetFixtures.images;
import static io.novacron.workflows.fleet.FleetFixtures.labelled;
import static io.novacron.workflows.fleet.FleetFixtures.node;
import static io.novacron.workflows.fleet.FleetFixtures.reserved;
import static io.novacron.workflows.fleet.FleetFixtures.stale;
import static io.novacron.workflows.fleet.FleetFixtures.vm;
import static org.assertj.core.api.Assertions.assertThat;

import io.novacron.workflows.provision.NodeCapacity;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TargetChooserTest {
  private static final VmLoad WEB1 = vm("web-1", "lab-a", 2, 2048);

  private static TargetChooser.Choice choose(VmLoad vm, Collection<VmLoad> fleet, NodeCapacity... nodes) {
    return TargetChooser.choose(vm, List.of(nodes), fleet, Set.of(), NOW, Set.of());
  }

  @Test
  void theVmsOwnNodeIsNeverTheTarget() {
    // lab-a has by far the most room, but the VM runs there.
    TargetChooser.Choice choice = choose(WEB1, List.of(WEB1), node("lab-a", 64, 262144), node("lab-b", 4, 4096));
    assertThat(choice.node()).hasValue("lab-b");
    assertThat(choice.refusals()).containsExactly("lab-a: it runs there");
  }

  @Test
  void excludedNodesAreRefused() {
    TargetChooser.Choice choice = TargetChooser.choose(WEB1,
        List.of(node("lab-b", 64, 262144), node("lab-c", 4, 4096)), List.of(WEB1), Set.of("lab-b"), NOW, Set.of());
    assertThat(choice.node()).hasValue("lab-c");
    assertThat(choice.refusals()).containsExactly("lab-b: excluded from this plan");
  }

  @Test
  void placementRefusalsComeThroughWithTheNodeName() {
    NodeCapacity full = reserved(node("lab-b", 8, 8192), 0, 7168); // 1024 MiB free
    TargetChooser.Choice choice = choose(WEB1, List.of(WEB1), full, node("lab-c", 8, 4096));
    assertThat(choice.node()).hasValue("lab-c");
    assertThat(choice.refusals()).containsExactly("lab-b: needs 2048 MiB memory, 1024 MiB free");
  }

  @Test
  void aCordonedOrStaleNodeIsNeverATarget() {
    TargetChooser.Choice choice = choose(WEB1, List.of(WEB1),
        cordoned(node("lab-b", 64, 262144)), stale(node("lab-c", 64, 262144)), node("lab-d", 4, 4096));
    assertThat(choice.node()).hasValue("lab-d");
    assertThat(choice.refusals()).hasSize(2);
    assertThat(choice.refusals().get(0)).startsWith("lab-b: cordoned (maintenance)");
    assertThat(choice.refusals().get(1)).startsWith("lab-c: stale");
  }

  @Test
  void hardGroupRulesRefuseANode() {
    VmLoad web1 = labelled(WEB1, Map.of(GroupRules.ANTI_AFFINITY, "web"));
    VmLoad web2 = labelled(vm("web-2", "lab-b", 1, 1024), Map.of(GroupRules.ANTI_AFFINITY, "web"));
    TargetChooser.Choice choice = choose(web1, List.of(web1, web2), node("lab-b", 64, 262144), node("lab-c", 4, 4096));
    assertThat(choice.node()).hasValue("lab-c");
    assertThat(choice.refusals()).singleElement().asString()
        .startsWith("lab-b: anti-affinity group 'web': lab-b already runs web-2;");
  }

  @Test
  void hardAffinityGoesWhereTheGroupIs() {
    VmLoad db1 = labelled(WEB1, Map.of(GroupRules.AFFINITY, "db"));
    VmLoad db2 = labelled(vm("db-2", "lab-c", 1, 1024), Map.of(GroupRules.AFFINITY, "db"));
    TargetChooser.Choice choice = choose(db1, List.of(db1, db2), node("lab-b", 64, 262144), node("lab-c", 4, 4096));
    assertThat(choice.node()).hasValue("lab-c");
    assertThat(choice.refusals()).singleElement().asString().startsWith("lab-b: affinity group 'db'");
  }

  @Test
  void fewestSoftViolationsBeatMoreFreeMemory() {
    VmLoad web1 = labelled(WEB1, Map.of(GroupRules.SOFT_ANTI_AFFINITY, "web"));
    VmLoad web2 = labelled(vm("web-2", "lab-b", 1, 1024), Map.of(GroupRules.SOFT_ANTI_AFFINITY, "web"));
    TargetChooser.Choice choice = choose(web1, List.of(web1, web2), node("lab-b", 64, 262144), node("lab-c", 4, 4096));
    assertThat(choice.node()).hasValue("lab-c");
    assertThat(choice.why()).isEqualTo("fewest soft group-rule conflicts (0) of 2 fitting nodes");
  }

  @Test
  void aSoftRuleIsBrokenWhenNothingElseFitsAndTheWhySaysSo() {
    VmLoad web1 = labelled(WEB1, Map.of(GroupRules.SOFT_ANTI_AFFINITY, "web"));
    VmLoad web2 = labelled(vm("web-2", "lab-b", 1, 1024), Map.of(GroupRules.SOFT_ANTI_AFFINITY, "web"));
    TargetChooser.Choice choice = choose(web1, List.of(web1, web2), node("lab-b", 8, 8192));
    assertThat(choice.node()).hasValue("lab-b");
    assertThat(choice.why()).isEqualTo("the only fitting node (8192 MiB free) (breaks 1 soft group rule)");
  }

  @Test
  void softAffinityPullsTowardsTheGroup() {
    VmLoad c1 = labelled(WEB1, Map.of(GroupRules.SOFT_AFFINITY, "cache"));
    VmLoad c2 = labelled(vm("c-2", "lab-c", 1, 1024), Map.of(GroupRules.SOFT_AFFINITY, "cache"));
    TargetChooser.Choice choice = choose(c1, List.of(c1, c2), node("lab-b", 64, 262144), node("lab-c", 4, 4096));
    assertThat(choice.node()).hasValue("lab-c");
  }

  @Test
  void aNodeThatHoldsTheImageBeatsMoreFreeMemory() {
    NodeCapacity bigWithout = images(node("lab-b", 64, 262144), List.of());
    NodeCapacity smallWith = node("lab-c", 4, 4096);
    TargetChooser.Choice choice = TargetChooser.choose(WEB1, List.of(bigWithout, smallWith), List.of(WEB1),
        Set.of(), NOW, Set.of("tiny"));
    assertThat(choice.node()).hasValue("lab-c");
    assertThat(choice.why()).isEqualTo("holds image 'tiny' (no pull) of 2 fitting nodes");
  }

  @Test
  void mostFreeMemoryWinsAndTheWhySaysHowMuch() {
    NodeCapacity b = reserved(node("lab-b", 8, 8192), 0, 5120); // 3072 free
    NodeCapacity c = reserved(node("lab-c", 8, 8192), 0, 6144); // 2048 free
    TargetChooser.Choice choice = choose(WEB1, List.of(WEB1), c, b);
    assertThat(choice.node()).hasValue("lab-b");
    assertThat(choice.why()).isEqualTo("most free memory (3072 MiB) of 2 fitting nodes");
    assertThat(choice.refusals()).isEmpty();
  }

  @Test
  void aTieGoesToTheFirstNameWhateverTheInputOrder() {
    NodeCapacity b = node("lab-b", 8, 8192);
    NodeCapacity c = node("lab-c", 8, 8192);
    assertThat(choose(WEB1, List.of(WEB1), c, b).node()).hasValue("lab-b");
    assertThat(choose(WEB1, List.of(WEB1), b, c).node()).hasValue("lab-b");
    assertThat(choose(WEB1, List.of(WEB1), c, b).why()).isEqualTo("first by name of 2 fitting nodes with 8192 MiB free");
  }

  @Test
  void refusalsAreSortedByNodeName() {
    TargetChooser.Choice choice = choose(WEB1, List.of(WEB1), node("lab-c", 1, 512), node("lab-a", 8, 8192),
        node("lab-b", 1, 1024));
    assertThat(choice.refusals()).extracting(r -> r.substring(0, 5)).containsExactly("lab-a", "lab-b", "lab-c");
  }

  @Test
  void withNoFittingNodeTheWhyIsEveryRefusal() {
    TargetChooser.Choice choice = choose(WEB1, List.of(WEB1), node("lab-a", 8, 8192), node("lab-b", 8, 1024));
    assertThat(choice.node()).isEmpty();
    assertThat(choice.refusals()).containsExactly("lab-a: it runs there", "lab-b: needs 2048 MiB memory, 1024 MiB free");
    assertThat(choice.why()).isEqualTo("lab-a: it runs there; lab-b: needs 2048 MiB memory, 1024 MiB free");
  }

  @Test
  void withNoNodesAtAllTheWhySaysSo() {
    TargetChooser.Choice choice = choose(WEB1, List.of(WEB1));
    assertThat(choice.node()).isEmpty();
    assertThat(choice.why()).isEqualTo("no node has announced itself");
  }
}
