package io.novacron.workflows.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GroupRulesTest {

  private static VmLoad vm(String name, String node, Map<String, String> labels) {
    return new VmLoad(name, node, "running", 1, 1024, 10, "tiny", List.of(), labels);
  }

  private static VmLoad vm(String name, String node, String key, String group) {
    return vm(name, node, Map.of(key, group));
  }

  @Test
  void labelKeysAreTheDocumentedOnes() {
    assertThat(GroupRules.ANTI_AFFINITY).isEqualTo("novacron.io/anti-affinity");
    assertThat(GroupRules.SOFT_ANTI_AFFINITY).isEqualTo("novacron.io/soft-anti-affinity");
    assertThat(GroupRules.AFFINITY).isEqualTo("novacron.io/affinity");
    assertThat(GroupRules.SOFT_AFFINITY).isEqualTo("novacron.io/soft-affinity");
  }

  @Test
  void antiAffinityRefusesANodeThatRunsAnotherMemberAndSaysWhatToDo() {
    VmLoad web1 = vm("web-1", "lab-a", GroupRules.ANTI_AFFINITY, "web");
    List<VmLoad> fleet = List.of(web1, vm("web-2", "lab-b", GroupRules.ANTI_AFFINITY, "web"));

    assertThat(GroupRules.refusal(web1, "lab-b", fleet))
        .isEqualTo("anti-affinity group 'web': lab-b already runs web-2; add a node or remove the label "
            + "novacron.io/anti-affinity from web-1");
    assertThat(GroupRules.refusal(web1, "lab-c", fleet)).isNull();
  }

  @Test
  void theVmItselfInTheFleetIsIgnored() {
    VmLoad web1 = vm("web-1", "lab-a", GroupRules.ANTI_AFFINITY, "web");
    // web-1 already on lab-a: staying (or being re-placed) there does not clash with itself.
    assertThat(GroupRules.refusal(web1, "lab-a", List.of(web1))).isNull();
    VmLoad db1 = vm("db-1", "lab-a", GroupRules.AFFINITY, "db");
    assertThat(GroupRules.refusal(db1, "lab-b", List.of(db1))).isNull();
  }

  @Test
  void antiAffinityNamesEveryMemberOnTheNodeSortedByName() {
    VmLoad web1 = vm("web-1", "lab-a", GroupRules.ANTI_AFFINITY, "web");
    List<VmLoad> fleet = List.of(web1, vm("web-3", "lab-b", GroupRules.ANTI_AFFINITY, "web"),
        vm("web-2", "lab-b", GroupRules.ANTI_AFFINITY, "web"));
    assertThat(GroupRules.refusal(web1, "lab-b", fleet)).contains("lab-b already runs web-2, web-3;");
  }

  @Test
  void eachLabelKeyIsItsOwnNamespace() {
    VmLoad web1 = vm("web-1", "lab-a", GroupRules.ANTI_AFFINITY, "web");
    // "web" under affinity (or soft anti-affinity) is another group altogether.
    List<VmLoad> fleet = List.of(web1, vm("x", "lab-b", GroupRules.AFFINITY, "web"),
        vm("y", "lab-b", GroupRules.SOFT_ANTI_AFFINITY, "web"));
    assertThat(GroupRules.refusal(web1, "lab-b", fleet)).isNull();
    // Another group under the same key is unrelated too.
    assertThat(GroupRules.refusal(web1, "lab-b", List.of(web1, vm("z", "lab-b", GroupRules.ANTI_AFFINITY, "db"))))
        .isNull();
  }

  @Test
  void aVmWithoutGroupLabelsIsNeverRefused() {
    VmLoad plain = vm("plain", "lab-a", Map.of());
    List<VmLoad> fleet = List.of(plain, vm("web-2", "lab-b", GroupRules.ANTI_AFFINITY, "web"),
        vm("db-1", "lab-c", GroupRules.AFFINITY, "db"));
    assertThat(GroupRules.refusal(plain, "lab-b", fleet)).isNull();
    assertThat(GroupRules.softViolations(plain, "lab-b", fleet)).isZero();
  }

  @Test
  void aBlankGroupIsNoGroup() {
    VmLoad a = vm("a", "lab-a", GroupRules.ANTI_AFFINITY, " ");
    assertThat(GroupRules.refusal(a, "lab-b", List.of(a, vm("b", "lab-b", GroupRules.ANTI_AFFINITY, " "))))
        .isNull();
  }

  @Test
  void affinityKeepsAMemberWithTheOthers() {
    VmLoad db1 = vm("db-1", "lab-a", GroupRules.AFFINITY, "db");
    List<VmLoad> fleet = List.of(db1, vm("db-2", "lab-b", GroupRules.AFFINITY, "db"),
        vm("db-3", "lab-b", GroupRules.AFFINITY, "db"));

    assertThat(GroupRules.refusal(db1, "lab-b", fleet)).isNull();
    assertThat(GroupRules.refusal(db1, "lab-c", fleet))
        .isEqualTo("affinity group 'db': its members run on lab-b (db-2, db-3), not on lab-c; make room there, "
            + "move the group together, or remove the label novacron.io/affinity from db-1");
  }

  @Test
  void affinityWithNoOtherMemberAnywhereAllowsAnyNode() {
    VmLoad db1 = vm("db-1", "lab-a", GroupRules.AFFINITY, "db");
    assertThat(GroupRules.refusal(db1, "lab-c", List.of(db1, vm("other", "lab-b", Map.of())))).isNull();
  }

  @Test
  void affinityWithMembersSplitAllowsAnyNodeThatHoldsOneAndNamesAllOfThem() {
    VmLoad db1 = vm("db-1", "lab-a", GroupRules.AFFINITY, "db");
    List<VmLoad> fleet = List.of(db1, vm("db-3", "lab-c", GroupRules.AFFINITY, "db"),
        vm("db-2", "lab-b", GroupRules.AFFINITY, "db"));
    assertThat(GroupRules.refusal(db1, "lab-b", fleet)).isNull();
    assertThat(GroupRules.refusal(db1, "lab-c", fleet)).isNull();
    assertThat(GroupRules.refusal(db1, "lab-d", fleet)).contains("run on lab-b (db-2) and lab-c (db-3), not on lab-d");
  }

  @Test
  void bothHardRulesApplyAtOnce() {
    VmLoad vm = vm("app-1", "lab-a", Map.of(GroupRules.AFFINITY, "db", GroupRules.ANTI_AFFINITY, "app"));
    List<VmLoad> fleet = List.of(vm, vm("db-1", "lab-b", GroupRules.AFFINITY, "db"),
        vm("app-2", "lab-b", GroupRules.ANTI_AFFINITY, "app"));
    // Affinity wants lab-b, anti-affinity forbids it: no node is right.
    assertThat(GroupRules.refusal(vm, "lab-b", fleet)).startsWith("anti-affinity group 'app'");
    assertThat(GroupRules.refusal(vm, "lab-c", fleet)).startsWith("affinity group 'db'");
  }

  @Test
  void softRulesNeverRefuse() {
    VmLoad web1 = vm("web-1", "lab-a", Map.of(GroupRules.SOFT_ANTI_AFFINITY, "web", GroupRules.SOFT_AFFINITY, "c"));
    List<VmLoad> fleet = List.of(web1, vm("web-2", "lab-b", GroupRules.SOFT_ANTI_AFFINITY, "web"),
        vm("c-1", "lab-c", GroupRules.SOFT_AFFINITY, "c"));
    assertThat(GroupRules.refusal(web1, "lab-b", fleet)).isNull();
    assertThat(GroupRules.refusal(web1, "lab-d", fleet)).isNull();
  }

  @Test
  void softAntiAffinityCountsTheMembersAlreadyThere() {
    VmLoad web1 = vm("web-1", "lab-a", GroupRules.SOFT_ANTI_AFFINITY, "web");
    List<VmLoad> fleet = List.of(web1, vm("web-2", "lab-b", GroupRules.SOFT_ANTI_AFFINITY, "web"),
        vm("web-3", "lab-b", GroupRules.SOFT_ANTI_AFFINITY, "web"),
        vm("web-4", "lab-c", GroupRules.SOFT_ANTI_AFFINITY, "web"));
    assertThat(GroupRules.softViolations(web1, "lab-b", fleet)).isEqualTo(2);
    assertThat(GroupRules.softViolations(web1, "lab-c", fleet)).isEqualTo(1);
    assertThat(GroupRules.softViolations(web1, "lab-d", fleet)).isZero();
    // Its own entry does not count against the node it is on.
    assertThat(GroupRules.softViolations(web1, "lab-a", fleet)).isZero();
  }

  @Test
  void softAffinityCostsOneWhereNoMemberIs() {
    VmLoad c1 = vm("c-1", "lab-a", GroupRules.SOFT_AFFINITY, "cache");
    List<VmLoad> fleet = List.of(c1, vm("c-2", "lab-b", GroupRules.SOFT_AFFINITY, "cache"),
        vm("c-3", "lab-b", GroupRules.SOFT_AFFINITY, "cache"));
    assertThat(GroupRules.softViolations(c1, "lab-b", fleet)).isZero();
    assertThat(GroupRules.softViolations(c1, "lab-c", fleet)).isEqualTo(1);
    // Alone in its group: every node is as good.
    assertThat(GroupRules.softViolations(c1, "lab-c", List.of(c1))).isZero();
  }

  @Test
  void softViolationsAddUp() {
    VmLoad vm = vm("v", "lab-a", Map.of(GroupRules.SOFT_ANTI_AFFINITY, "s", GroupRules.SOFT_AFFINITY, "t"));
    List<VmLoad> fleet = List.of(vm, vm("s-1", "lab-b", GroupRules.SOFT_ANTI_AFFINITY, "s"),
        vm("t-1", "lab-c", GroupRules.SOFT_AFFINITY, "t"));
    assertThat(GroupRules.softViolations(vm, "lab-b", fleet)).isEqualTo(2);
    assertThat(GroupRules.softViolations(vm, "lab-c", fleet)).isZero();
  }

  @Test
  void hardRulesDoNotCountAsSoftViolations() {
    VmLoad web1 = vm("web-1", "lab-a", GroupRules.ANTI_AFFINITY, "web");
    List<VmLoad> fleet = List.of(web1, vm("web-2", "lab-b", GroupRules.ANTI_AFFINITY, "web"));
    assertThat(GroupRules.softViolations(web1, "lab-b", fleet)).isZero();
  }
}
