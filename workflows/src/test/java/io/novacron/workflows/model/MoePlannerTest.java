package io.novacron.workflows.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MoePlannerTest {
  private static final MoeModelShape DEEPSEEK = KnownMoeModels.find("deepseek-v3").orElseThrow();
  private static final MoeModelShape QWEN = KnownMoeModels.find("qwen3-235b-a22b").orElseThrow();
  private static final double H200_GIB = 141e9 / MemoryEstimate.GIB;

  private static List<GpuNode> nodes(int count, int gpus, String model, double gib) {
    List<GpuNode> nodes = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      nodes.add(GpuNode.ofGib("node-" + i, gpus, model, gib));
    }
    return nodes;
  }

  @Test
  void deepseek_v3_fp8_on_two_h200_nodes_runs_one_replica_per_node() {
    MoePlan plan = MoePlanner.plan(MoePlanRequest.of(DEEPSEEK, WeightDtype.FP8,
        nodes(2, 8, "H200", H200_GIB)));

    assertThat(plan.fits()).isTrue();
    assertThat(plan.tp()).isEqualTo(8);
    assertThat(plan.ep()).isEqualTo(8);
    assertThat(plan.pp()).isEqualTo(1);
    assertThat(plan.replicas()).isEqualTo(2);
    assertThat(plan.expertsPerGpu()).isEqualTo(32);
    // ~656 B FP8 expert/attention weights over 8 GPUs plus replicated MLA down-projections.
    assertThat(plan.peakPerGpu().weightsGib()).isBetween(75.0, 82.0);
    assertThat(plan.rejected()).anySatisfy(r -> {
      assertThat(r.tp()).isEqualTo(16);
      assertThat(r.reason()).contains("1 replica(s)");
    });
  }

  @Test
  void deepseek_v3_bf16_does_not_fit_two_h100_nodes() {
    MoePlan plan = MoePlanner.plan(MoePlanRequest.of(DEEPSEEK, WeightDtype.BF16,
        nodes(2, 8, "H100", 80)));

    assertThat(plan.fits()).isFalse();
    assertThat(plan.tp()).isEqualTo(16);
    assertThat(plan.peakPerGpu().weightsGib()).isGreaterThan(76);
    assertThat(plan.shortfallBytesPerGpu()).isPositive();
  }

  @Test
  void deepseek_v3_bf16_on_two_h200_nodes_needs_tp16() {
    MoePlan plan = MoePlanner.plan(MoePlanRequest.of(DEEPSEEK, WeightDtype.BF16,
        nodes(2, 8, "H200", H200_GIB)));

    assertThat(plan.fits()).isTrue();
    assertThat(plan.tp() * plan.pp()).isEqualTo(16);
    assertThat(plan.tp()).isEqualTo(16);
    assertThat(plan.rejected()).anySatisfy(r -> {
      assertThat(r.tp()).isEqualTo(8);
      assertThat(r.reason()).contains("pipeline stages");
    });
  }

  @Test
  void qwen3_bf16_fits_one_h100_node_with_tp8_ep8() {
    MoePlan plan = MoePlanner.plan(MoePlanRequest.of(QWEN, WeightDtype.BF16,
        nodes(1, 8, "H100", 80)));

    assertThat(plan.fits()).isTrue();
    assertThat(plan.tp()).isEqualTo(8);
    assertThat(plan.expertsPerGpu()).isEqualTo(16);
    assertThat(plan.peakPerGpu().weightsGib()).isBetween(53.0, 57.0);
    assertThat(plan.rejected()).anySatisfy(r -> {
      assertThat(r.tp()).isEqualTo(4);
      assertThat(r.pp()).isEqualTo(2);
      assertThat(r.reason()).contains("pipeline stages");
    });
  }

  @Test
  void qwen3_fp8_fits_four_h100() {
    MoePlan plan = MoePlanner.plan(MoePlanRequest.of(QWEN, WeightDtype.FP8,
        nodes(1, 4, "H100", 80)));

    assertThat(plan.fits()).isTrue();
    assertThat(plan.tp()).isEqualTo(4);
    assertThat(plan.expertsPerGpu()).isEqualTo(32);
  }

  @Test
  void mla_kv_cache_is_held_whole_on_every_tp_rank() {
    MoePlanRequest request = MoePlanRequest.of(DEEPSEEK, WeightDtype.FP8,
        nodes(1, 8, "H200", H200_GIB)).withContext(1000);
    MemoryEstimate tp8 = MoeMemoryModel.stage(request, 8, new LayerRange(0, 61), true, true);
    assertThat(tp8.kvCacheBytes()).isEqualTo(1000L * 61 * 576 * 2);
    MemoryEstimate tp4 = MoeMemoryModel.stage(request, 4, new LayerRange(0, 61), true, true);
    assertThat(tp4.kvCacheBytes()).isEqualTo(tp8.kvCacheBytes());
  }

  @Test
  void refuses_a_tp_that_does_not_divide_the_experts() {
    MoeModelShape odd = new MoeModelShape("odd", 4, 256, 12, 12, 16, 1000, false, false,
        new MoeSpec(10, 2, 0, 96, 0, 96), null);
    assertThat(MoePlanner.tpRefusal(odd, 4)).contains("10 routed experts");
    assertThat(MoePlanner.tpRefusal(odd, 2)).isNull();
  }

  @Test
  void reference_layouts_match_what_their_sources_report() {
    for (ReferenceMoeLayout layout : ReferenceMoeLayouts.ALL) {
      MemoryEstimate need = ReferenceMoeLayouts.perGpu(layout, 8192);
      boolean fits = need.totalBytes() <= layout.gpuMemoryGib() * MemoryEstimate.GIB;
      assertThat(fits).as(layout.model() + " " + layout.dtype() + " on " + layout.nodes() + " x "
          + layout.gpusPerNode() + " " + layout.gpu() + ": " + need.totalGib() + " GiB").isTrue();
    }
  }

  @Test
  void fp8_weights_carry_their_block_scales() {
    assertThat(MoeMemoryModel.linearBytes(WeightDtype.FP8, 128 * 128 * 10)).isEqualTo(128 * 128 * 10 + 40);
    assertThat(MoeMemoryModel.linearBytes(WeightDtype.BF16, 100)).isEqualTo(200);
  }

  @Test
  void fp8_refuses_a_tp_that_cuts_the_128_wide_weight_blocks() {
    // Shared-expert width 2048 over TP 32 is 64 per GPU: half a block.
    assertThat(MoePlanner.fp8BlockRefusal(DEEPSEEK, 32)).contains("2048").contains("64 per GPU");
    assertThat(MoePlanner.fp8BlockRefusal(DEEPSEEK, 16)).isNull();
    // 4 x 8 H100 in FP8: TP 32 is refused for the blocks, so a 16-GPU layout with 2 replicas wins.
    MoePlan plan = MoePlanner.plan(MoePlanRequest.of(DEEPSEEK, WeightDtype.FP8, nodes(4, 8, "H100", 80)));
    assertThat(plan.rejected()).anySatisfy(r -> {
      assertThat(r.tp()).isEqualTo(32);
      assertThat(r.pp()).isZero();
      assertThat(r.reason()).contains("FP8 weight blocks");
    });
    assertThat(plan.replicas()).isEqualTo(2);
  }
}
