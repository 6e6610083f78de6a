package io.novacron.workflows.model;

/**
 * Multi-head latent attention (DeepSeek-V2/V3): queries and keys/values pass through low-rank
 * projections, and the KV cache holds the compressed latent plus the shared RoPE key, not K and V
 * per head.
 *
 * @param qLoraRank rank of the query down-projection ({@code q_lora_rank})
 * @param kvLoraRank rank of the key/value latent ({@code kv_lora_rank})
 * @param qkNopeHeadDim per-head query/key width without RoPE ({@code qk_nope_head_dim})
 * @param qkRopeHeadDim RoPE part of query/key, shared by all heads for keys ({@code
 *     qk_rope_head_dim})
 * @param vHeadDim per-head value width ({@code v_head_dim})
 */
public record MlaSpec(int qLoraRank, int kvLoraRank, int qkNopeHeadDim, int qkRopeHeadDim,
    int vHeadDim) {

  public MlaSpec {
    if (qLoraRank < 1 || kvLoraRank < 1 || qkNopeHeadDim < 1 || qkRopeHeadDim < 1 || vHeadDim < 1) {
      throw new IllegalArgumentException("MLA: q_lora_rank, kv_lora_rank, qk_nope_head_dim,"
          + " qk_rope_head_dim and v_head_dim must be positive");
    }
  }

  /** Cached elements per token per layer: the latent and the RoPE key, for all heads at once. */
  public int kvCacheElementsPerTokenLayer() {
    return kvLoraRank + qkRopeHeadDim;
  }

  /** Down-projections and their norms: small, and replicated on every tensor-parallel rank. */
  public long replicatedParameters(int hiddenSize) {
    long h = hiddenSize;
    return h * qLoraRank + h * (kvLoraRank + qkRopeHeadDim) + qLoraRank + kvLoraRank;
  }

  /** Up-projections and {@code o_proj}: split by heads across tensor-parallel ranks. */
  public long headParameters(int hiddenSize, int heads) {
    long h = hiddenSize;
    long perHead = (long) qLoraRank * (qkNopeHeadDim + qkRopeHeadDim)
        + (long) kvLoraRank * (qkNopeHeadDim + vHeadDim)
        + (long) vHeadDim * h;
    return perHead * heads;
  }
}
