package io.novacron.workflows.model;

import java.util.List;

/**
 * Published layouts for the MoE models of {@link KnownMoeModels}, each evaluated by {@link
 * #perGpu}. H200 memory is 141 GB (131.3 GiB), H100 80 GiB as the dense planner's tests use.
 */
public final class ReferenceMoeLayouts {
  private static final double H200_GIB = 141e9 / MemoryEstimate.GIB;
  private static final String SGLANG_DEEPSEEK =
      "SGLang docs/references/deepseek.md (\"Launch DeepSeek V3 with SGLang\" table) and"
          + " benchmark/deepseek_v3/README.md";

  /** The layouts, DeepSeek-V3 first. */
  public static final List<ReferenceMoeLayout> ALL = List.of(
      new ReferenceMoeLayout("deepseek-v3", "SGLang", 1, 8, "H200", H200_GIB, WeightDtype.FP8,
          8, 1, 1, "--tp 8", SGLANG_DEEPSEEK),
      new ReferenceMoeLayout("deepseek-v3", "SGLang", 2, 8, "H200", H200_GIB, WeightDtype.FP8,
          16, 1, 1, "--tp 16 --nnodes 2", SGLANG_DEEPSEEK),
      new ReferenceMoeLayout("deepseek-v3", "SGLang", 2, 8, "H200", H200_GIB, WeightDtype.BF16,
          16, 1, 1, "--tp 16 --nnodes 2 (BF16 weights converted from the FP8 release)",
          SGLANG_DEEPSEEK),
      new ReferenceMoeLayout("deepseek-v3", "SGLang", 2, 8, "H100", 80, WeightDtype.FP8,
          16, 1, 1, "--tp 16 --nnodes 2", SGLANG_DEEPSEEK),
      new ReferenceMoeLayout("deepseek-v3", "SGLang", 4, 8, "H100", 80, WeightDtype.BF16,
          32, 1, 1, "--tp 32 --nnodes 4 (the table names 4 x 8 H100; TP over all 32 assumed)",
          SGLANG_DEEPSEEK),
      new ReferenceMoeLayout("deepseek-v3", "vLLM", 1, 8, "H200", H200_GIB, WeightDtype.FP8,
          8, 1, 8, "--tensor-parallel-size 8 --enable-expert-parallel",
          "vLLM recipes, DeepSeek/DeepSeek-V3 (\"8xH200 with fp8: TP+EP or DP+EP\")"),
      new ReferenceMoeLayout("qwen3-235b-a22b", "vLLM", 1, 8, "H100", 80, WeightDtype.BF16,
          8, 1, 8, "--tensor-parallel-size 8 --enable-expert-parallel",
          "Qwen3 model card (vLLM, TP 8); huggingface.co/neural-nova/"
              + "Qwen3-235B-A22B-Instruct-2507-optimized (8 x H100-80GB, TP 8, BF16)"),
      new ReferenceMoeLayout("qwen3-235b-a22b", "vLLM", 1, 4, "H100", 80, WeightDtype.FP8,
          4, 1, 4, "--tensor-parallel-size 4 --enable-expert-parallel",
          "Qwen/Qwen3-235B-A22B-FP8 model card (vLLM/SGLang, 4 GPUs)"));

  private ReferenceMoeLayouts() {}

  /**
   * Memory per GPU of {@code layout} (EP assumed equal to TP for memory: the experts of a stage are
   * spread over its {@code tp} GPUs either way) for {@code context} tokens of one sequence.
   */
  public static MemoryEstimate perGpu(ReferenceMoeLayout layout, int context) {
    MoeModelShape model = KnownMoeModels.find(layout.model()).orElseThrow();
    List<GpuNode> nodes = new java.util.ArrayList<>();
    for (int n = 0; n < layout.nodes(); n++) {
      nodes.add(GpuNode.ofGib("node-" + n, layout.gpusPerNode(), layout.gpu(), layout.gpuMemoryGib()));
    }
    MoePlanRequest request = MoePlanRequest.of(model, layout.dtype(), nodes).withContext(context);
    MemoryEstimate peak = null;
    List<LayerRange> ranges = LayerSplit.split(model.layers(), layout.pp());
    for (int s = 0; s < layout.pp(); s++) {
      MemoryEstimate need = MoeMemoryModel.stage(request, layout.tp(), ranges.get(s), s == 0,
          s == layout.pp() - 1);
      if (peak == null || need.totalBytes() > peak.totalBytes()) {
        peak = need;
      }
    }
    return peak;
  }
}
