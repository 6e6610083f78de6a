package io.novacron.workflows.model;

import java.util.List;

/**
 * What to plan for a mixture-of-experts model; the fields mean what they mean in {@link
 * PlanRequest}.
 */
public record MoePlanRequest(
    MoeModelShape model,
    WeightDtype dtype,
    KvCacheDtype kvCacheDtype,
    List<GpuNode> nodes,
    int contextLength,
    int batchTarget,
    double utilizationCap) {

  public MoePlanRequest {
    if (model == null || dtype == null || kvCacheDtype == null || nodes == null) {
      throw new IllegalArgumentException("model, dtype, KV cache dtype and nodes are required");
    }
    if (contextLength < 1) {
      throw new IllegalArgumentException("context length must be at least 1, got " + contextLength);
    }
    if (batchTarget < 1) {
      throw new IllegalArgumentException("batch target must be at least 1, got " + batchTarget);
    }
    if (!(utilizationCap > 0 && utilizationCap <= 1)) {
      throw new IllegalArgumentException("utilization cap must be in (0, 1], got " + utilizationCap);
    }
    nodes = List.copyOf(nodes);
  }

  /** The defaults of {@link PlanRequest#of}: 8192 tokens, one sequence, BF16 KV cache, 80% cap. */
  public static MoePlanRequest of(MoeModelShape model, WeightDtype dtype, List<GpuNode> nodes) {
    return new MoePlanRequest(model, dtype, KvCacheDtype.BF16, nodes, PlanRequest.DEFAULT_CONTEXT,
        PlanRequest.DEFAULT_BATCH, PlanRequest.DEFAULT_UTILIZATION_CAP);
  }

  public MoePlanRequest withContext(int tokens) {
    return new MoePlanRequest(model, dtype, kvCacheDtype, nodes, tokens, batchTarget, utilizationCap);
  }

  public MoePlanRequest withBatch(int sequences) {
    return new MoePlanRequest(model, dtype, kvCacheDtype, nodes, contextLength, sequences,
        utilizationCap);
  }
}
