package io.novacron.workflows.model;

/**
 * What one GPU of a mixture-of-experts layout needs. Attention is tensor-parallel over {@code tp}
 * ranks; the routed experts are spread whole over the same ranks (expert parallelism, EP = TP, as
 * vLLM's {@code --enable-expert-parallel} and SGLang's {@code --ep-size} do within one data-parallel
 * group); shared experts and dense MLPs are tensor-parallel like a dense MLP; the router, norms and
 * embeddings stay in BF16. docs/model-planning.md derives each term.
 *
 * <p>Splitting each expert's width over TP instead of placing experts whole takes the same memory
 * per GPU; expert parallelism is modelled because it is what engines run for these models.
 */
public final class MoeMemoryModel {
  /**
   * DeepSeek-V3's FP8 checkpoint carries one FP32 scale per 128 x 128 weight block
   * ({@code weight_block_size}); FP8 weights are charged for it.
   */
  static final int FP8_BLOCK = 128 * 128;

  private MoeMemoryModel() {}

  /** Bytes of {@code weights} linear weights in {@code dtype}, FP8 block scales included. */
  public static long linearBytes(WeightDtype dtype, long weights) {
    long bytes = dtype.bytesFor(weights);
    if (dtype == WeightDtype.FP8) {
      bytes += 4 * ((weights + FP8_BLOCK - 1) / FP8_BLOCK);
    }
    return bytes;
  }

  /** Routed experts one EP rank holds (the most loaded one where they do not divide evenly). */
  public static int expertsPerRank(MoeModelShape m, int ep) {
    return (m.moe().routedExperts() + ep - 1) / ep;
  }

  /** KV heads of a GQA model each TP rank holds: its share, or one replicated head. */
  static int kvHeadsPerRank(MoeModelShape m, int tp) {
    return tp <= m.kvHeads() ? m.kvHeads() / tp : 1;
  }

  /** Quantizable attention parameters of one layer on one TP rank. */
  public static long attentionParametersPerRank(MoeModelShape m, int tp) {
    if (m.mla() != null) {
      // The low-rank down-projections are small and every rank needs the whole latent.
      return m.mla().replicatedParameters(m.hiddenSize())
          + m.mla().headParameters(m.hiddenSize(), m.heads()) / tp;
    }
    long h = m.hiddenSize();
    return 2L * h * (m.heads() / tp) * m.headDim() + 2L * h * kvHeadsPerRank(m, tp) * m.headDim();
  }

  /**
   * KV-cache bytes of one token in one layer on one TP rank. The MLA latent belongs to all heads,
   * so every TP rank holds it whole (no split, and no per-head copies either).
   */
  public static long kvBytesPerTokenLayer(MoeModelShape m, int tp, KvCacheDtype dtype) {
    if (m.mla() != null) {
      return (long) m.mla().kvCacheElementsPerTokenLayer() * dtype.bytes();
    }
    return 2L * kvHeadsPerRank(m, tp) * m.headDim() * dtype.bytes();
  }

  /**
   * Memory of one GPU of a stage holding {@code layers}, with TP and EP {@code tp}.
   *
   * @param first whether the stage holds the embeddings
   * @param last whether the stage holds the final norm and {@code lm_head}
   */
  public static MemoryEstimate stage(MoePlanRequest request, int tp, LayerRange layers,
      boolean first, boolean last) {
    MoeModelShape m = request.model();
    long h = m.hiddenSize();
    int dense = Math.max(0, Math.min(layers.end(), m.moe().denseLayers()) - layers.start());
    int moe = layers.count() - dense;

    long denseMlp = 3L * h * ceilDiv(m.moe().denseIntermediateSize(), tp);
    long sharedExperts = m.moe().sharedExperts() * 3L * h * ceilDiv(m.moe().expertIntermediateSize(), tp);
    long routed = expertsPerRank(m, tp) * m.expertParameters();
    long linear = attentionParametersPerRank(m, tp) * layers.count() + denseMlp * dense
        + (routed + sharedExperts) * moe;

    long vocabPerRank = ceilDiv(m.vocabSize(), tp);
    long embeddingSlice = vocabPerRank * h * MemoryModel.BF16_BYTES;
    long weights = linearBytes(request.dtype(), linear)
        + (m.routerParameters() * moe + 2L * h * layers.count()) * MemoryModel.BF16_BYTES;
    if (first) {
      weights += embeddingSlice;
    }
    if (last) {
      weights += h * MemoryModel.BF16_BYTES;
      if (!(m.tiedEmbeddings() && first)) {
        weights += embeddingSlice;
      }
    }

    long tokens = (long) request.batchTarget() * request.contextLength();
    long kvCache = tokens * layers.count() * kvBytesPerTokenLayer(m, tp, request.kvCacheDtype());

    long runtime = MemoryModel.FIXED_RUNTIME_BYTES
        + Math.min(tokens, MemoryModel.PREFILL_CHUNK_TOKENS) * activationBytesPerToken(m, tp);
    if (last) {
      runtime += (long) request.batchTarget() * vocabPerRank * MemoryModel.LOGIT_BYTES;
    }
    return new MemoryEstimate(weights, kvCache, runtime);
  }

  /**
   * Peak live activations of one token in a layer on one rank: residual and normed copy, query and
   * attention output for the rank's heads, and the gate/up/product of its top-k experts, counted as
   * if all k landed on this rank (routing is uneven, and this is a small term).
   */
  static long activationBytesPerToken(MoeModelShape m, int tp) {
    long qWidth = m.mla() != null
        ? (long) m.heads() / tp * (m.mla().qkNopeHeadDim() + m.mla().qkRopeHeadDim())
            + m.mla().kvCacheElementsPerTokenLayer()
        : ((long) m.heads() / tp + 2L * kvHeadsPerRank(m, tp)) * m.headDim();
    long outWidth = (long) m.heads() / tp
        * (m.mla() != null ? m.mla().vHeadDim() : m.headDim());
    long mlp = 3L * Math.max(ceilDiv(m.moe().denseIntermediateSize(), tp),
        (long) m.moe().expertsPerToken() * m.moe().expertIntermediateSize());
    return (2L * m.hiddenSize() + qWidth + outWidth + mlp) * MemoryModel.BF16_BYTES;
  }

  private static long ceilDiv(long a, long b) {
    return (a + b - 1) / b;
  }
}
