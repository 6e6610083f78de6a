package io.novacron.workflows.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.novacron.workflows.node.GpuInfo;
import io.novacron.workflows.node.GpuInventory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ParallelismPlannerTest {
  private static final ModelShape LLAMA_405B = KnownModels.find("llama-3.1-405b").orElseThrow();

  private static List<GpuNode> h100Nodes(int count) {
    List<GpuNode> nodes = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      nodes.add(GpuNode.ofGib("node-" + i, 8, "NVIDIA H100 80GB HBM3", 80));
    }
    return nodes;
  }

  @Test
  void llama_405b_fp8_fits_one_h100_node_with_tp8() {
    ParallelismPlan plan = ParallelismPlanner.plan(PlanRequest.of(LLAMA_405B, WeightDtype.FP8, h100Nodes(1)));

    assertThat(plan.fits()).isTrue();
    assertThat(plan.tp()).isEqualTo(8);
    assertThat(plan.pp()).isEqualTo(1);
    assertThat(plan.replicas()).isEqualTo(1);
    assertThat(plan.stages()).singleElement().satisfies(s -> {
      assertThat(s.layers()).isEqualTo(new LayerRange(0, 126));
      assertThat(s.embeddings()).isTrue();
      assertThat(s.lmHead()).isTrue();
    });
    // ~374 GiB of FP8 linear weights plus ~7.8 GiB of BF16 embeddings and lm_head over 8 GPUs.
    assertThat(plan.peakPerGpu().weightsGib()).isBetween(47.0, 48.5);
    assertThat(plan.peakPerGpu().totalBytes()).isLessThanOrEqualTo(plan.budgetBytesPerGpu());
    assertThat(plan.budgetGib()).isEqualTo(64.0);
    assertThat(plan.ranks()).hasSize(8).allSatisfy(r -> assertThat(r.node()).isEqualTo("node-0"));
    assertThat(plan.rejected()).anySatisfy(r -> {
      assertThat(r.tp()).isEqualTo(4);
      assertThat(r.pp()).isEqualTo(2);
      assertThat(r.reason()).contains("2 pipeline stages add bubbles");
    });
  }

  @Test
  void llama_405b_bf16_on_two_h100_nodes_is_tp8_within_a_node_and_pp2_across() {
    ParallelismPlan plan = ParallelismPlanner.plan(PlanRequest.of(LLAMA_405B, WeightDtype.BF16, h100Nodes(2)));

    assertThat(plan.fits()).isTrue();
    assertThat(plan.tp()).isEqualTo(8);
    assertThat(plan.pp()).isEqualTo(2);
    assertThat(plan.replicas()).isEqualTo(1);
    assertThat(plan.stages()).extracting(StagePlan::layers)
        .containsExactly(new LayerRange(0, 63), new LayerRange(63, 126));
    assertThat(plan.stages().get(0).embeddings()).isTrue();
    assertThat(plan.stages().get(0).lmHead()).isFalse();
    assertThat(plan.stages().get(1).lmHead()).isTrue();
    // Each stage sits on one node: the pipeline hop is the only inter-node traffic.
    assertThat(plan.ranks()).filteredOn(r -> r.stage() == 0).allSatisfy(r -> assertThat(r.node()).isEqualTo("node-0"));
    assertThat(plan.ranks()).filteredOn(r -> r.stage() == 1).allSatisfy(r -> assertThat(r.node()).isEqualTo("node-1"));
    assertThat(plan.ranks()).extracting(RankPlacement::rank).containsExactlyElementsOf(range(16));
    assertThat(plan.rejected()).anySatisfy(r -> {
      assertThat(r.tp()).isEqualTo(16);
      assertThat(r.reason()).contains("span nodes");
    });
  }

  @Test
  void llama_405b_bf16_on_one_h100_node_is_rejected_with_the_shortfall() {
    ParallelismPlan plan = ParallelismPlanner.plan(PlanRequest.of(LLAMA_405B, WeightDtype.BF16, h100Nodes(1)));

    assertThat(plan.fits()).isFalse();
    assertThat(plan.ranks()).isEmpty();
    assertThat(plan.tp()).isEqualTo(8);
    assertThat(plan.pp()).isEqualTo(1);
    // ~756 GiB of BF16 weights over 8 GPUs is ~94.5 GiB each, against 64 GiB allowed.
    assertThat(plan.shortfallGib()).isBetween(30.0, 40.0);
    assertThat(plan.shortfallBytesPerGpu())
        .isEqualTo(plan.peakPerGpu().totalBytes() - plan.budgetBytesPerGpu());
    assertThat(plan.rejected()).anySatisfy(r -> assertThat(r.reason()).contains("short").contains("GiB"));
  }

  @Test
  void llama_70b_bf16_on_one_node_takes_the_smallest_tp_that_fits_and_replicates() {
    ModelShape llama70b = KnownModels.find("llama-3.1-70b").orElseThrow();

    ParallelismPlan plan = ParallelismPlanner.plan(PlanRequest.of(llama70b, WeightDtype.BF16, h100Nodes(1)));

    assertThat(plan.fits()).isTrue();
    assertThat(plan.tp()).isEqualTo(4);
    assertThat(plan.pp()).isEqualTo(1);
    assertThat(plan.replicas()).isEqualTo(2);
    assertThat(plan.ranks()).extracting(RankPlacement::gpu).containsExactlyElementsOf(range(8));
    assertThat(plan.rejected()).anySatisfy(r -> {
      assertThat(r.tp()).isEqualTo(8);
      assertThat(r.reason()).contains("fits, but 8 GPUs per replica give 1 replica(s)");
    });
  }

  @Test
  void a_larger_batch_at_long_context_needs_more_gpus_for_kv_cache() {
    ModelShape llama70b = KnownModels.find("llama-3.1-70b").orElseThrow();
    PlanRequest small = PlanRequest.of(llama70b, WeightDtype.BF16, h100Nodes(1));

    ParallelismPlan plan = ParallelismPlanner.plan(small.withBatch(32).withContext(32768));

    assertThat(plan.fits()).isTrue();
    assertThat(plan.tp()).isEqualTo(8);
    assertThat(plan.peakPerGpu().kvCacheGib()).isGreaterThan(plan.peakPerGpu().weightsGib() / 2);
    assertThat(plan.maxSequencesAtContext()).isGreaterThanOrEqualTo(32);
  }

  @Test
  void llama_8b_fits_one_gpu_per_replica() {
    ModelShape llama8b = KnownModels.find("llama-3.1-8b").orElseThrow();

    ParallelismPlan plan = ParallelismPlanner.plan(PlanRequest.of(llama8b, WeightDtype.BF16, h100Nodes(1)));

    assertThat(plan.tp()).isEqualTo(1);
    assertThat(plan.replicas()).isEqualTo(8);
    assertThat(plan.maxSequencesAtContext()).isGreaterThan(1);
  }

  @Test
  void int4_shrinks_weights_to_about_a_quarter_of_bf16() {
    ModelShape llama70b = KnownModels.find("llama-3.1-70b").orElseThrow();
    LayerRange all = new LayerRange(0, llama70b.layers());
    long bf16 = MemoryModel.stage(PlanRequest.of(llama70b, WeightDtype.BF16, h100Nodes(1)), 1, all, true, true).weightsBytes();
    long int4 = MemoryModel.stage(PlanRequest.of(llama70b, WeightDtype.INT4, h100Nodes(1)), 1, all, true, true).weightsBytes();

    assertThat((double) int4 / bf16).isBetween(0.26, 0.30);
  }

  @Test
  void kv_heads_are_replicated_once_tp_exceeds_them() {
    ModelShape model = ModelShape.llama("tiny", 2, 256, 8, 2, 512, 1000, false);

    assertThat(MemoryModel.kvHeadsPerRank(model, 1)).isEqualTo(2);
    assertThat(MemoryModel.kvHeadsPerRank(model, 2)).isEqualTo(1);
    assertThat(MemoryModel.kvHeadsPerRank(model, 8)).isEqualTo(1);
    assertThat(ParallelismPlanner.tpRefusal(model, 3, 8)).contains("does not divide 8 attention heads");
  }

  @Test
  void tp_that_does_not_divide_the_heads_is_refused_with_the_reason() {
    ModelShape model = ModelShape.llama("odd", 4, 384, 6, 6, 768, 1000, true);
    List<GpuNode> nodes = List.of(GpuNode.ofGib("n", 4, "test", 1));

    ParallelismPlan plan = ParallelismPlanner.plan(PlanRequest.of(model, WeightDtype.BF16, nodes));

    assertThat(plan.rejected()).anySatisfy(r -> {
      assertThat(r.tp()).isEqualTo(4);
      assertThat(r.pp()).isZero();
      assertThat(r.reason()).contains("does not divide 6 attention heads");
    });
  }

  @Test
  void no_gpus_means_no_plan() {
    ParallelismPlan plan = ParallelismPlanner.plan(PlanRequest.of(LLAMA_405B, WeightDtype.FP8,
        List.of(new GpuNode("cpu-only", 0, "none", 0))));

    assertThat(plan.fits()).isFalse();
    assertThat(plan.tp()).isZero();
    assertThat(plan.rejected()).extracting(RejectedAlternative::reason).containsExactly("no node has a GPU");
  }

  @Test
  void gpu_node_from_inventory_plans_against_its_smallest_gpu() {
    GpuInventory inventory = new GpuInventory("gpu-1", "nvidia-smi", "550.54", List.of(
        new GpuInfo(0, "NVIDIA H100 80GB HBM3", "GPU-a", 81559, 0),
        new GpuInfo(1, "NVIDIA H100 80GB HBM3", "GPU-b", 81000, 12)), "dev", 15);

    GpuNode node = GpuNode.from(inventory);

    assertThat(node).isEqualTo(new GpuNode("gpu-1", 2, "NVIDIA H100 80GB HBM3", 81000));
  }

  @Test
  void a_plan_survives_a_json_round_trip_as_activity_results_do() throws Exception {
    ParallelismPlan plan = ParallelismPlanner.plan(PlanRequest.of(LLAMA_405B, WeightDtype.BF16, h100Nodes(2)));
    com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();

    ParallelismPlan back = json.readValue(json.writeValueAsString(plan), ParallelismPlan.class);

    assertThat(back).isEqualTo(plan);
  }

  @Test
  void the_405b_parameter_count_matches_the_published_size() {
    assertThat(LLAMA_405B.parameterCount()).isBetween(405_000_000_000L, 406_500_000_000L);
    assertThat(KnownModels.find("llama-3.1-70b").orElseThrow().parameterCount()).isBetween(70_000_000_000L, 71_000_000_000L);
    assertThat(KnownModels.find("LLAMA-3.1-8B").orElseThrow().parameterCount()).isBetween(8_000_000_000L, 8_100_000_000L);
  }

  @Test
  void layer_split_gives_leftover_layers_to_middle_stages_first() {
    assertThat(LayerSplit.split(10, 4)).containsExactly(
        new LayerRange(0, 2), new LayerRange(2, 5), new LayerRange(5, 8), new LayerRange(8, 10));
    assertThat(LayerSplit.split(5, 2)).containsExactly(new LayerRange(0, 3), new LayerRange(3, 5));
    assertThatThrownBy(() -> LayerSplit.split(2, 3)).hasMessageContaining("2 layers over 3 stages");
  }

  @Test
  void bad_requests_name_the_field() {
    assertThatThrownBy(() -> PlanRequest.of(LLAMA_405B, WeightDtype.FP8, h100Nodes(1)).withUtilizationCap(1.5))
        .hasMessageContaining("utilization cap");
    assertThatThrownBy(() -> WeightDtype.parse("fp4")).hasMessageContaining("unknown dtype 'fp4'");
  }

  private static List<Integer> range(int n) {
    List<Integer> values = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      values.add(i);
    }
    return values;
  }
}
