package io.novacron.workflows.model.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.novacron.workflows.model.KnownModels;
import io.novacron.workflows.model.ParallelismPlan;
import io.novacron.workflows.model.ParallelismPlanner;
import io.novacron.workflows.node.GpuInfo;
import io.novacron.workflows.node.GpuInventory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeploymentLayoutTest {
  static GpuInventory gpus(String node, int count, long mib) {
    List<GpuInfo> list = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      list.add(new GpuInfo(i, "H100", "GPU-" + node + i, mib, 0));
    }
    return new GpuInventory(node, "nvidia-smi", "550", list, "test", 15);
  }

  static ShardSet shards(int ranks) {
    List<ShardFileRef> files = new ArrayList<>();
    for (int r = 0; r < ranks; r++) {
      files.add(new ShardFileRef("rank" + r, r, 10, "h" + r));
    }
    files.add(new ShardFileRef("shard-manifest.json", ShardFileRef.EVERY_RANK, 1, "m"));
    return new ShardSet("shards/big", files, 1);
  }

  static DeployModelRequest request(List<String> nodes) {
    return new DeployModelRequest("big", "gpu-a", "ckpt", "bf16", nodes, 8192, 1, null, 0, 0);
  }

  static CheckpointSummary checkpoint(String model) {
    return new CheckpointSummary("/ckpt", KnownModels.find(model).orElseThrow(), "bf16", 1, 1);
  }

  @Test
  void a_model_spanning_two_nodes_gets_one_process_per_node_with_its_ranks_files_and_head() {
    List<GpuInventory> inventories = List.of(gpus("gpu-a", 8, 81559), gpus("gpu-b", 8, 81559));
    DeployModelRequest request = request(List.of("gpu-a", "gpu-b"));
    ParallelismPlan plan = ParallelismPlanner.plan(DeploymentLayout.planRequest(request, checkpoint("llama-3.1-405b"), inventories));
    assertThat(plan.fits()).isTrue();
    assertThat(plan.pp()).isEqualTo(2);

    List<NodeDeployRequest> nodes = DeploymentLayout.nodeRequests(request, "deploy-1", plan, shards(plan.tp() * plan.pp()));

    assertThat(nodes).extracting(NodeDeployRequest::node).containsExactly("gpu-a", "gpu-b");
    LaunchRequest head = nodes.get(0).launches().get(0);
    LaunchRequest worker = nodes.get(1).launches().get(0);
    assertThat(head.nodeRank()).isZero();
    assertThat(worker.nodeRank()).isEqualTo(1);
    assertThat(worker.masterNode()).isEqualTo("gpu-a");
    assertThat(head.servesHealth()).isTrue();
    assertThat(worker.servesHealth()).isFalse();
    assertThat(worker.ranks()).containsExactly(8, 9, 10, 11, 12, 13, 14, 15);
    assertThat(nodes.get(1).files()).extracting(ShardFileRef::file)
        .containsExactly("rank8", "rank9", "rank10", "rank11", "rank12", "rank13", "rank14", "rank15", "shard-manifest.json");
    assertThat(head.requiredBytesPerGpu()).isEqualTo(plan.peakPerGpu().totalBytes());
  }

  @Test
  void replicas_sharing_a_node_get_ports_of_their_own() {
    List<GpuInventory> inventories = List.of(gpus("gpu-a", 8, 81559));
    DeployModelRequest request = request(List.of("gpu-a"));
    ParallelismPlan plan = ParallelismPlanner.plan(DeploymentLayout.planRequest(request, checkpoint("llama-3.1-8b"), inventories));
    assertThat(plan.replicas()).isGreaterThan(1);

    List<LaunchRequest> launches = DeploymentLayout.nodeRequests(request, "deploy-1", plan, shards(plan.tp() * plan.pp()))
        .get(0).launches();

    assertThat(launches).extracting(LaunchRequest::port).doesNotHaveDuplicates().startsWith(8000, 8001);
    assertThat(launches).extracting(LaunchRequest::masterPort).doesNotHaveDuplicates();
  }

  @Test
  void nodes_without_gpus_plan_as_simulated_gpus_only_when_asked() {
    List<GpuInventory> none = List.of(new GpuInventory("gpu-a", "none", null, List.of(), "t", 15));
    DeployModelRequest plain = request(List.of("gpu-a"));
    DeployModelRequest simulated = new DeployModelRequest("big", "gpu-a", "ckpt", "bf16", List.of("gpu-a"), 8192, 1,
        ServingSettings.reference(0), 80, 0);

    ParallelismPlan refused = ParallelismPlanner.plan(DeploymentLayout.planRequest(plain, checkpoint("llama-3.1-8b"), none));
    assertThat(refused.fits()).isFalse();
    assertThat(DeploymentLayout.refusal(refused)).contains("no target node has a GPU").contains("simulatedGpuMemoryGib");
    assertThat(ParallelismPlanner.plan(DeploymentLayout.planRequest(simulated, checkpoint("llama-3.1-8b"), none)).fits()).isTrue();
    assertThat(DeploymentLayout.nodesWithoutGpus(none)).containsExactly("gpu-a");
  }

  @Test
  void format_vllm_sharded_state_refuses_a_pipeline_and_names_the_format() {
    List<GpuInventory> inventories = List.of(gpus("gpu-a", 8, 81559), gpus("gpu-b", 8, 81559));
    DeployModelRequest request = request(List.of("gpu-a", "gpu-b"));
    ParallelismPlan pipeline = ParallelismPlanner.plan(
        DeploymentLayout.planRequest(request, checkpoint("llama-3.1-405b"), inventories));
    assertThat(pipeline.pp()).isEqualTo(2);

    assertThat(DeploymentLayout.formatRefusal(ShardFormat.VLLM_SHARDED_STATE, pipeline)).hasValueSatisfying(why ->
        assertThat(why).contains("format vllm-sharded-state").contains("PP 2").contains("use format novacron"));
    assertThat(DeploymentLayout.formatRefusal(ShardFormat.NOVACRON, pipeline)).isEmpty();
  }

  @Test
  void the_format_reaches_every_node_and_launch_and_a_single_stage_plan_passes() {
    List<GpuInventory> inventories = List.of(gpus("gpu-a", 8, 81559));
    DeployModelRequest request = new DeployModelRequest("big", "gpu-a", "ckpt", "bf16", List.of("gpu-a"), 8192, 1,
        null, 0, 0, "vllm-sharded-state");
    ParallelismPlan plan = ParallelismPlanner.plan(DeploymentLayout.planRequest(request, checkpoint("llama-3.1-8b"), inventories));
    assertThat(plan.pp()).isEqualTo(1);
    assertThat(DeploymentLayout.formatRefusal(ShardFormat.VLLM_SHARDED_STATE, plan)).isEmpty();

    NodeDeployRequest node = DeploymentLayout.nodeRequests(request, "deploy-1", plan, shards(plan.tp())).get(0);

    assertThat(node.format()).isEqualTo(ShardFormat.VLLM_SHARDED_STATE);
    assertThat(node.launches()).extracting(LaunchRequest::format).containsOnly(ShardFormat.VLLM_SHARDED_STATE);
    assertThat(DeploymentLayout.nodeRequests(request(List.of("gpu-a")), "deploy-1", plan, shards(plan.tp())).get(0)
        .format()).isEqualTo(ShardFormat.NOVACRON);
  }
}
