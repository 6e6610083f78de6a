package io.novacron.control.model;

/**
 * A cluster stated the way an operator asks "does it fit": a known model in a weight type on
 * {@code nodes} identical nodes. Optional fields may be null for the planner's defaults.
 *
 * @param model a name of {@code KnownModels}, e.g. {@code llama-3.1-70b}
 * @param dtype weight type: {@code bf16}, {@code fp8} or {@code int4}
 * @param nodes GPU nodes, 1 to {@value PlanPreviews#MAX_NODES}
 * @param gpusPerNode GPUs on each node, 1 to {@value PlanPreviews#MAX_GPUS_PER_NODE}
 * @param gpuMemoryGib memory of one GPU in GiB, e.g. 80
 * @param kvCacheDtype {@code bf16} (default) or {@code fp8}
 * @param contextLength tokens per sequence; default 8192
 * @param batch sequences per replica at full context; default 1
 * @param utilizationCap share of each GPU's memory the plan may use, (0, 1]; default 0.8
 */
public record PlanPreviewRequest(
    String model, String dtype, Integer nodes, Integer gpusPerNode, Double gpuMemoryGib,
    String kvCacheDtype, Integer contextLength, Integer batch, Double utilizationCap) {}
