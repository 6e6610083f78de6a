package io.novacron.workflows.model.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.novacron.workflows.model.ParallelismPlan;
import io.novacron.workflows.model.ParallelismPlanner;
import io.novacron.workflows.node.GpuInventory;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FanOutPlanTest {
  static final ShardFileRef RANK0 = new ShardFileRef("rank0", 0, 10, "h0");
  static final ShardFileRef RANK1 = new ShardFileRef("rank1", 1, 10, "h1");
  static final ShardFileRef MANIFEST = new ShardFileRef("shard-manifest.json", ShardFileRef.EVERY_RANK, 1, "m");

  static NodeDeployRequest node(String name, ShardFileRef... files) {
    return new NodeDeployRequest("big", "deploy-1", "src", "shards/big", name, "models/big", List.of(files), List.of(),
        60, 0, ShardFormat.NOVACRON);
  }

  @Test
  void each_file_leaves_the_source_once_and_runs_down_a_chain_of_its_holders() {
    Map<String, NodeFanOut> plan = FanOutPlan.plan("src", List.of(
        node("gpu-a", RANK0, MANIFEST), node("gpu-b", RANK0, MANIFEST), node("gpu-c", RANK0, MANIFEST)));

    assertThat(plan).containsOnlyKeys("gpu-a", "gpu-b", "gpu-c");
    assertThat(plan.get("gpu-a").upstreams()).isEmpty();
    assertThat(plan.get("gpu-b").upstream("rank0")).isEqualTo(new NodeFanOut.Upstream("gpu-a", "models/big"));
    assertThat(plan.get("gpu-c").upstream("rank0")).isEqualTo(new NodeFanOut.Upstream("gpu-b", "models/big"));
    assertThat(plan.get("gpu-c").upstream("shard-manifest.json").node()).isEqualTo("gpu-b");
    assertThat(plan.get("gpu-a").forwarded()).containsExactly("rank0", "shard-manifest.json");
    assertThat(plan.get("gpu-b").forwarded()).containsExactly("rank0", "shard-manifest.json");
    assertThat(plan.get("gpu-c").forwarded()).isEmpty();
  }

  @Test
  void the_source_node_keeps_its_local_copy_out_of_the_chain() {
    Map<String, NodeFanOut> plan = FanOutPlan.plan("gpu-a", List.of(
        node("gpu-a", RANK0, MANIFEST), node("gpu-b", RANK0, MANIFEST), node("gpu-c", RANK0, MANIFEST)));

    assertThat(plan.get("gpu-a").upstreams()).isEmpty();
    assertThat(plan.get("gpu-a").forwarded()).isEmpty();
    // The chain's head reads the shard set on the source, not the source's copy in models/.
    assertThat(plan.get("gpu-b").upstreams()).isEmpty();
    assertThat(plan.get("gpu-b").forwarded()).containsExactly("rank0", "shard-manifest.json");
    assertThat(plan.get("gpu-c").upstream("rank0").node()).isEqualTo("gpu-b");
  }

  @Test
  void chains_are_per_file_so_nodes_of_other_stages_do_not_wait_for_each_other() {
    // Two replicas of PP 2: gpu-a and gpu-c hold stage 0, gpu-b and gpu-d stage 1.
    Map<String, NodeFanOut> plan = FanOutPlan.plan("src", List.of(node("gpu-a", RANK0, MANIFEST),
        node("gpu-b", RANK1, MANIFEST), node("gpu-c", RANK0, MANIFEST), node("gpu-d", RANK1, MANIFEST)));

    assertThat(plan.get("gpu-b").upstreams()).containsOnlyKeys("shard-manifest.json");
    assertThat(plan.get("gpu-b").upstream("shard-manifest.json").node()).isEqualTo("gpu-a");
    assertThat(plan.get("gpu-c").upstream("rank0").node()).isEqualTo("gpu-a");
    assertThat(plan.get("gpu-c").upstream("shard-manifest.json").node()).isEqualTo("gpu-b");
    assertThat(plan.get("gpu-d").upstream("rank1").node()).isEqualTo("gpu-b");
    assertThat(plan.get("gpu-d").upstream("shard-manifest.json").node()).isEqualTo("gpu-c");
    assertThat(plan.get("gpu-a").forwarded()).containsExactly("rank0", "shard-manifest.json");
  }

  @Test
  void three_replicas_planned_on_three_nodes_send_each_file_from_the_source_once() {
    List<GpuInventory> inventories = List.of(DeploymentLayoutTest.gpus("gpu-a", 8, 81559),
        DeploymentLayoutTest.gpus("gpu-b", 8, 81559), DeploymentLayoutTest.gpus("gpu-c", 8, 81559));
    DeployModelRequest request = DeploymentLayoutTest.request(List.of("gpu-a", "gpu-b", "gpu-c"));
    ParallelismPlan layout = ParallelismPlanner.plan(
        DeploymentLayout.planRequest(request, DeploymentLayoutTest.checkpoint("llama-3.1-8b"), inventories));
    List<NodeDeployRequest> nodes = DeploymentLayout.nodeRequests(request, "deploy-1", layout,
        DeploymentLayoutTest.shards(layout.tp() * layout.pp()));
    assertThat(nodes).hasSize(3);

    Map<String, NodeFanOut> plan = FanOutPlan.plan("gpu-a", nodes);

    // Files the source's agent sends to another node: only the chain heads' (here gpu-b's).
    long fromSource = nodes.stream().filter(n -> !n.node().equals("gpu-a"))
        .flatMap(n -> n.files().stream().filter(f -> plan.get(n.node()).upstream(f.file()) == null))
        .count();
    long distinct = nodes.stream().flatMap(n -> n.files().stream()).map(ShardFileRef::file).distinct().count();
    assertThat(fromSource).isEqualTo(distinct);
    assertThat(FanOutPlan.plan("gpu-a", nodes)).isEqualTo(plan);
  }

  @Test
  void a_node_listed_twice_is_refused_naming_it() {
    assertThatThrownBy(() -> FanOutPlan.plan("src", List.of(node("gpu-a", RANK0), node("gpu-a", RANK0))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("gpu-a");
  }

  @Test
  void a_run_recorded_before_fan_out_takes_everything_from_the_source() {
    Map<String, NodeFanOut> plan = FanOutPlan.fromSource(List.of(node("gpu-a", RANK0), node("gpu-b", RANK0)));
    assertThat(plan.values()).allSatisfy(p -> assertThat(p).isEqualTo(NodeFanOut.FROM_SOURCE));
  }
}
