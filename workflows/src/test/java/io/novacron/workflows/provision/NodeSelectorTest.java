package io.novacron.workflows.provision;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeSelectorTest {
  @Test
  void onlyLabelsUnderThePrefixAreSelectors() {
    assertThat(NodeSelector.wanted(Map.of("node.novacron.io/zone", "rack-2", "team", "web", "node.novacron.io/", "x")))
        .containsExactly(Map.entry("zone", "rack-2"));
  }

  @Test
  void aNodeMatchesWhenItHasEverySelectedLabelWithThatValue() {
    Map<String, String> vm = Map.of("node.novacron.io/zone", "rack-2", "node.novacron.io/gpu", "a100");

    assertThat(NodeSelector.refusal(vm, Map.of("zone", "rack-2", "gpu", "a100", "extra", "yes"))).isNull();
    assertThat(NodeSelector.refusal(Map.of("team", "web"), Map.of())).isNull();
    assertThat(NodeSelector.refusal(vm, Map.of("zone", "rack-2", "gpu", "t4")))
        .contains("node.novacron.io/gpu=a100 (it has gpu=t4)").doesNotContain("zone");
    assertThat(NodeSelector.refusal(vm, Map.of()))
        .contains("node.novacron.io/gpu=a100 (it has no label gpu)", "node.novacron.io/zone=rack-2 (it has no label zone)")
        .contains("novacron node label NODE K=V");
  }

  @Test
  void placementRefusesANodeThatDoesNotMatchNamingTheSelector() {
    long now = 1_700_000_000_000L;
    NodeCapacity plain = new NodeCapacity("node-a", 8, 32768, 100, List.of("tiny"), 0, 0, 0, now, 10, null, null,
        Map.of());
    NodeCapacity zoned = new NodeCapacity("node-b", 8, 8192, 100, List.of("tiny"), 0, 0, 0, now, 10, null, null,
        Map.of("zone", "rack-2"));
    ProvisionVmRequest request = new ProvisionVmRequest("web-1", 1, 256, 1, "tiny", null, null, null,
        Map.of("node.novacron.io/zone", "rack-2"));

    PlacementPolicy.Decision decision = PlacementPolicy.choose(request, List.of(plain, zoned), now);

    assertThat(decision.node()).as("node-a has more memory but not the label").hasValue("node-b");
    assertThat(decision.refusals()).singleElement().asString()
        .startsWith("node-a: node selector node.novacron.io/zone=rack-2 (it has no label zone)");
  }
}
