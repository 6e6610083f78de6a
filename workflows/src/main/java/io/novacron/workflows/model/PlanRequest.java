package io.novacron.workflows.model;

import java.util.List;

/**
 * What to plan: a model in a weight type on a set of GPU nodes, for a context length and a number
 * of concurrent sequences.
 *
 * @param model the decoder's shape
 * @param dtype storage type of the linear-layer weights
 * @param kvCacheDtype storage type of the KV cache
 * @param nodes the GPU nodes that may be used; nodes without GPUs are ignored
 * @param contextLength tokens per sequence the KV cache must hold (prompt plus output)
 * @param batchTarget sequences each replica must hold at full context at once
 * @param utilizationCap share of each GPU's memory the plan may use, in (0, 1]; the rest stays
 *     free for the allocator, other processes and estimation error
 */
public record PlanRequest(
    ModelShape model,
    WeightDtype dtype,
    KvCacheDtype kvCacheDtype,
    List<GpuNode> nodes,
    int contextLength,
    int batchTarget,
    double utilizationCap) {

  public static final int DEFAULT_CONTEXT = 8192;
  public static final int DEFAULT_BATCH = 1;
  public static final double DEFAULT_UTILIZATION_CAP = 0.8;

  public PlanRequest {
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

  /** A request with the defaults: 8192 tokens of context, one sequence, BF16 KV cache, 80% cap. */
  public static PlanRequest of(ModelShape model, WeightDtype dtype, List<GpuNode> nodes) {
    return new PlanRequest(model, dtype, KvCacheDtype.BF16, nodes, DEFAULT_CONTEXT, DEFAULT_BATCH,
        DEFAULT_UTILIZATION_CAP);
  }

  public PlanRequest withContext(int tokens) {
    return new PlanRequest(model, dtype, kvCacheDtype, nodes, tokens, batchTarget, utilizationCap);
  }

  public PlanRequest withBatch(int sequences) {
    return new PlanRequest(model, dtype, kvCacheDtype, nodes, contextLength, sequences, utilizationCap);
  }

  public PlanRequest withUtilizationCap(double cap) {
    return new PlanRequest(model, dtype, kvCacheDtype, nodes, contextLength, batchTarget, cap);
  }

  public PlanRequest withKvCacheDtype(KvCacheDtype kv) {
    return new PlanRequest(model, dtype, kv, nodes, contextLength, batchTarget, utilizationCap);
  }
}
