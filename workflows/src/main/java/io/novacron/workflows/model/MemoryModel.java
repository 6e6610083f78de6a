package io.novacron.workflows.model;

/**
 * What one GPU of a TP x PP layout needs: its slice of the weights, its KV cache, and runtime
 * headroom. Pure arithmetic on the model's shape; docs/model-planning.md derives each term.
 *
 * <p>Tensor parallelism splits attention by heads and the MLP by its width; embeddings and {@code
 * lm_head} are vocabulary-parallel. When TP exceeds the KV heads, each rank keeps one whole KV head
 * (replicated {@code TP / kvHeads} times), as vLLM and Megatron do, so K/V weights and cache stop
 * shrinking there.
 */
public final class MemoryModel {
  /**
   * CUDA context, cuBLAS and NCCL workspaces, CUDA graphs and allocator slack: measured serving
   * engines sit between 1 and 2 GiB per GPU, so this takes the upper end.
   */
  public static final long FIXED_RUNTIME_BYTES = 2L << 30;

  /**
   * Tokens of one prefill step. Serving engines chunk long prompts to a token budget (vLLM's
   * {@code max_num_batched_tokens}), so activation memory follows this, not the context length.
   */
  public static final int PREFILL_CHUNK_TOKENS = 8192;

  /** Embeddings, norms and activations stay in BF16 whatever the linear layers are stored in. */
  static final int BF16_BYTES = 2;

  /** Logits are computed in FP32 for sampling. */
  static final int LOGIT_BYTES = 4;

  private MemoryModel() {}

  /** KV heads each rank holds: its share, or one replicated head once TP exceeds the KV heads. */
  public static int kvHeadsPerRank(ModelShape model, int tp) {
    return tp <= model.kvHeads() ? model.kvHeads() / tp : 1;
  }

  /** Rows of the vocabulary-parallel embedding (and {@code lm_head}) on one rank. */
  public static long vocabPerRank(ModelShape model, int tp) {
    return (model.vocabSize() + tp - 1) / tp;
  }

  /** Linear-layer parameters of one decoder layer on one TP rank. */
  public static long linearParametersPerRank(ModelShape model, int tp) {
    long h = model.hiddenSize();
    long qo = 2L * h * (model.heads() / tp) * model.headDim();
    long kv = 2L * h * kvHeadsPerRank(model, tp) * model.headDim();
    long mlp = 3L * h * ceilDiv(model.intermediateSize(), tp);
    return qo + kv + mlp;
  }

  /** KV-cache bytes of one token in one layer on one TP rank (K and V). */
  public static long kvBytesPerTokenLayer(ModelShape model, int tp, KvCacheDtype dtype) {
    return 2L * kvHeadsPerRank(model, tp) * model.headDim() * dtype.bytes();
  }

  /**
   * Memory of one GPU in pipeline stage {@code layers} at tensor-parallel degree {@code tp}.
   *
   * @param first whether the stage holds the embeddings
   * @param last whether the stage holds the final norm and {@code lm_head}
   */
  public static MemoryEstimate stage(PlanRequest request, int tp, LayerRange layers, boolean first,
      boolean last) {
    ModelShape m = request.model();
    long h = m.hiddenSize();
    long embeddingSlice = vocabPerRank(m, tp) * h * BF16_BYTES;

    long weights = request.dtype().bytesFor(linearParametersPerRank(m, tp) * layers.count())
        + m.normParametersPerLayer() * layers.count() * BF16_BYTES;
    if (first) {
      weights += embeddingSlice;
    }
    if (last) {
      weights += h * BF16_BYTES;
      // A tied lm_head reuses the embedding matrix only when the same stage holds both.
      if (!(m.tiedEmbeddings() && first)) {
        weights += embeddingSlice;
      }
    }

    long tokens = (long) request.batchTarget() * request.contextLength();
    long kvCache = tokens * layers.count() * kvBytesPerTokenLayer(m, tp, request.kvCacheDtype());

    long runtime = FIXED_RUNTIME_BYTES
        + Math.min(tokens, PREFILL_CHUNK_TOKENS) * activationBytesPerToken(m, tp);
    if (last) {
      runtime += (long) request.batchTarget() * vocabPerRank(m, tp) * LOGIT_BYTES;
    }
    return new MemoryEstimate(weights, kvCache, runtime);
  }

  /**
   * Peak live activations of one token inside a layer on one rank: the residual stream and its
   * normed copy, the q/k/v projections, the attention output, and gate, up and their product.
   * Layers run one after another, so this does not grow with the stage's layer count.
   */
  static long activationBytesPerToken(ModelShape m, int tp) {
    long qkv = ((long) m.heads() / tp + 2L * kvHeadsPerRank(m, tp)) * m.headDim();
    long attentionOut = (long) m.heads() / tp * m.headDim();
    long mlp = 3L * ceilDiv(m.intermediateSize(), tp);
    return (2L * m.hiddenSize() + qkv + attentionOut + mlp) * BF16_BYTES;
  }

  private static long ceilDiv(long a, long b) {
    return (a + b - 1) / b;
  }
}
