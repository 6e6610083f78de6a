package io.novacron.workflows.model;

/**
 * The shape of a mixture-of-experts decoder (DeepSeek-V3, Qwen3-MoE): attention as in {@link
 * ModelShape} or, with {@code mla}, multi-head latent attention; MLPs made of routed experts, with
 * optional shared experts and leading dense layers. Kept beside {@link ModelShape} rather than in
 * it so that the dense planner and its callers stay as they are.
 *
 * @param name model name, for display
 * @param layers decoder layers ({@code num_hidden_layers}); a multi-token-prediction layer that
 *     serving engines load only for speculative decoding is not counted
 * @param hiddenSize model width
 * @param heads attention heads
 * @param kvHeads key/value heads (GQA); equal to {@code heads} under MLA, where it is unused
 * @param headDim width of one head (GQA)
 * @param vocabSize vocabulary
 * @param tiedEmbeddings whether {@code lm_head} shares the embedding matrix
 * @param qkNorm whether q and k have per-head RMSNorms (Qwen3)
 * @param moe the experts
 * @param mla multi-head latent attention, or null for GQA
 */
public record MoeModelShape(
    String name,
    int layers,
    int hiddenSize,
    int heads,
    int kvHeads,
    int headDim,
    int vocabSize,
    boolean tiedEmbeddings,
    boolean qkNorm,
    MoeSpec moe,
    MlaSpec mla) {

  public MoeModelShape {
    if (layers < 1 || hiddenSize < 1 || heads < 1 || kvHeads < 1 || headDim < 1 || vocabSize < 1) {
      throw new IllegalArgumentException("model " + name + ": every dimension must be positive");
    }
    if (moe == null) {
      throw new IllegalArgumentException("model " + name + ": the MoE fields are required");
    }
    if (moe.denseLayers() > layers) {
      throw new IllegalArgumentException("model " + name + ": first_k_dense_replace "
          + moe.denseLayers() + " exceeds num_hidden_layers " + layers);
    }
    if (heads % kvHeads != 0) {
      throw new IllegalArgumentException("model " + name + ": " + heads
          + " attention heads are not a multiple of " + kvHeads + " KV heads");
    }
  }

  /** Layers whose MLP is made of experts. */
  public int moeLayers() {
    return layers - moe.denseLayers();
  }

  /** Attention parameters of one layer, norms inside attention included. */
  public long attentionParametersPerLayer() {
    if (mla != null) {
      return mla.replicatedParameters(hiddenSize) + mla.headParameters(hiddenSize, heads);
    }
    long h = hiddenSize;
    long projections = 2L * h * heads * headDim + 2L * h * kvHeads * headDim;
    return projections + (qkNorm ? 2L * headDim : 0);
  }

  /** Parameters of one expert (gate, up and down). */
  public long expertParameters() {
    return 3L * hiddenSize * moe.expertIntermediateSize();
  }

  /** Parameters of the router of one MoE layer. */
  public long routerParameters() {
    return (long) hiddenSize * moe.routedExperts();
  }

  /** Parameters of one dense MLP. */
  public long denseMlpParameters() {
    return 3L * hiddenSize * moe.denseIntermediateSize();
  }

  /** Parameters of the embedding matrix (and of {@code lm_head}). */
  public long embeddingParameters() {
    return (long) vocabSize * hiddenSize;
  }

  /** Parameters shared by every token: attention, norms, dense MLPs, embeddings, final norm. */
  private long alwaysActiveParameters() {
    long norms = 2L * hiddenSize * layers + hiddenSize;
    long embeddings = embeddingParameters() * (tiedEmbeddings ? 1 : 2);
    return attentionParametersPerLayer() * layers + norms + denseMlpParameters() * moe.denseLayers()
        + embeddings;
  }

  /** All parameters, every expert included. */
  public long parameterCount() {
    long perMoeLayer = expertParameters() * (moe.routedExperts() + moe.sharedExperts())
        + routerParameters();
    return alwaysActiveParameters() + perMoeLayer * moeLayers();
  }

  /**
   * Parameters one token passes through: the routed top-k and the shared experts, with the
   * embeddings and {@code lm_head} counted, as the "37B activated" and "A22B" figures do.
   */
  public long activeParameterCount() {
    long perMoeLayer = expertParameters() * (moe.expertsPerToken() + moe.sharedExperts())
        + routerParameters();
    return alwaysActiveParameters() + perMoeLayer * moeLayers();
  }

  /** KV-cache elements of one token in one layer, before any tensor-parallel split. */
  public long kvCacheElementsPerTokenLayer() {
    return mla != null ? mla.kvCacheElementsPerTokenLayer() : 2L * kvHeads * headDim;
  }
}
