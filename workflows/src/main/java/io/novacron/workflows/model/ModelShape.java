package io.novacron.workflows.model;

/**
 * The shape of a Llama-style decoder: what the planner needs to size weights, KV cache and
 * activations. Built from a known name ({@link KnownModels}) or from a checkpoint's {@code
 * config.json}.
 *
 * @param name model name, for display
 * @param layers decoder layers ({@code num_hidden_layers})
 * @param hiddenSize model width ({@code hidden_size})
 * @param heads attention heads ({@code num_attention_heads})
 * @param kvHeads key/value heads ({@code num_key_value_heads}; equal to {@code heads} without GQA)
 * @param intermediateSize MLP width ({@code intermediate_size})
 * @param vocabSize vocabulary ({@code vocab_size})
 * @param headDim width of one head ({@code head_dim}; {@code hiddenSize / heads} in Llama)
 * @param tiedEmbeddings whether {@code lm_head} shares the embedding matrix
 */
public record ModelShape(
    String name,
    int layers,
    int hiddenSize,
    int heads,
    int kvHeads,
    int intermediateSize,
    int vocabSize,
    int headDim,
    boolean tiedEmbeddings) {

  public ModelShape {
    ModelBounds.check(name, layers, hiddenSize, heads, kvHeads, intermediateSize, vocabSize, headDim);
    if (heads % kvHeads != 0) {
      throw new IllegalArgumentException("model " + name + ": " + heads
          + " attention heads are not a multiple of " + kvHeads + " KV heads");
    }
  }

  /** A Llama shape whose head width is {@code hiddenSize / heads}. */
  public static ModelShape llama(String name, int layers, int hiddenSize, int heads, int kvHeads,
      int intermediateSize, int vocabSize, boolean tiedEmbeddings) {
    if (heads < 1 || hiddenSize % heads != 0) {
      throw new IllegalArgumentException("model " + name + ": hidden size " + hiddenSize
          + " is not a multiple of " + heads + " heads");
    }
    return new ModelShape(name, layers, hiddenSize, heads, kvHeads, intermediateSize, vocabSize,
        hiddenSize / heads, tiedEmbeddings);
  }

  /** Parameters of q, k, v, o, gate, up and down in one layer (the quantizable ones). */
  public long linearParametersPerLayer() {
    long h = hiddenSize;
    long attention = h * heads * headDim * 2L + h * kvHeads * headDim * 2L;
    long mlp = 3L * h * intermediateSize;
    return attention + mlp;
  }

  /** Parameters of the two RMSNorms in one layer. */
  public long normParametersPerLayer() {
    return 2L * hiddenSize;
  }

  /** Parameters of the embedding matrix (and of {@code lm_head}, which has the same shape). */
  public long embeddingParameters() {
    return (long) vocabSize * hiddenSize;
  }

  /** All parameters, counting a tied {@code lm_head} once. */
  public long parameterCount() {
    long perLayer = linearParametersPerLayer() + normParametersPerLayer();
    long embeddings = embeddingParameters() * (tiedEmbeddings ? 1 : 2);
    return perLayer * layers + embeddings + hiddenSize;
  }
}
