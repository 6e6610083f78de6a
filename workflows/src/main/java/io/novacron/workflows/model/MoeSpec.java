package io.novacron.workflows.model;

/**
 * The mixture-of-experts part of a decoder, as {@code config.json} states it.
 *
 * @param routedExperts experts the router chooses among ({@code n_routed_experts} in DeepSeek,
 *     {@code num_experts} in Qwen3-MoE)
 * @param expertsPerToken experts each token is routed to ({@code num_experts_per_tok}, top-k)
 * @param sharedExperts experts every token passes through ({@code n_shared_experts}; 0 in Qwen3)
 * @param expertIntermediateSize one expert's MLP width ({@code moe_intermediate_size})
 * @param denseLayers leading layers with a dense MLP instead of experts ({@code
 *     first_k_dense_replace}; 3 in DeepSeek-V3, 0 in Qwen3-235B-A22B)
 * @param denseIntermediateSize width of those dense MLPs ({@code intermediate_size})
 */
public record MoeSpec(
    int routedExperts,
    int expertsPerToken,
    int sharedExperts,
    int expertIntermediateSize,
    int denseLayers,
    int denseIntermediateSize) {

  public MoeSpec {
    if (routedExperts < 1 || expertIntermediateSize < 1 || denseIntermediateSize < 1) {
      throw new IllegalArgumentException("MoE: n_routed_experts/num_experts, moe_intermediate_size"
          + " and intermediate_size must be positive");
    }
    if (expertsPerToken < 1 || expertsPerToken > routedExperts) {
      throw new IllegalArgumentException("MoE: num_experts_per_tok must be in 1.." + routedExperts
          + ", got " + expertsPerToken);
    }
    if (sharedExperts < 0 || denseLayers < 0) {
      throw new IllegalArgumentException(
          "MoE: n_shared_experts and first_k_dense_replace must not be negative");
    }
  }
}
