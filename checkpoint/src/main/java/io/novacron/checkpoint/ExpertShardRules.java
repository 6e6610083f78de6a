package io.novacron.checkpoint;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decides, from a tensor name of a DeepSeek-V3 or Qwen3-MoE checkpoint, how a TP = EP layout holds
 * it. A pure function of the name, as vLLM's and SGLang's loaders apply it:
 *
 * <ul>
 *   <li>{@code model.layers.N.mlp.experts.E.{gate,up,down}_proj.*}: routed expert E goes whole to EP
 *       rank {@code E / (experts / ep)} (contiguous blocks, vLLM's default placement); its FP8
 *       {@code weight_scale_inv} goes with it;
 *   <li>{@code mlp.gate.weight} and {@code mlp.gate.e_score_correction_bias}: the router, replicated,
 *       since every rank routes its own tokens;
 *   <li>{@code mlp.shared_experts.*} and the dense layers' {@code mlp.*}: like a dense MLP, gate/up
 *       column, down row;
 *   <li>MLA: {@code q_a_proj}, {@code kv_a_proj_with_mqa} and their layernorms replicated (the latent
 *       is shared by all heads); {@code q_b_proj}, {@code kv_b_proj} column (split by heads); {@code
 *       o_proj} row;
 *   <li>GQA ({@code q,k,v,o_proj}), {@code q_norm}/{@code k_norm}, embeddings, norms: as in {@link
 *       ShardRules}.
 * </ul>
 */
public final class ExpertShardRules {
  private static final Pattern EXPERT =
      Pattern.compile("^model\\.layers\\.\\d+\\.mlp\\.experts\\.(\\d+)\\.(gate|up|down)_proj\\.[^.]+$");

  private ExpertShardRules() {}

  /**
   * The rule for {@code name} when {@code routedExperts} experts are spread over {@code ep} ranks.
   *
   * @throws IllegalArgumentException when {@code ep} does not divide the experts, or an expert
   *     index is out of range
   */
  public static ExpertShardRule ruleOf(String name, int routedExperts, int ep) {
    if (ep < 1 || routedExperts % ep != 0) {
      throw new IllegalArgumentException("ep " + ep + " must divide the " + routedExperts
          + " routed experts; choose an EP size that divides n_routed_experts/num_experts");
    }
    Matcher m = EXPERT.matcher(name);
    if (m.matches()) {
      int expert = Integer.parseInt(m.group(1));
      if (expert >= routedExperts) {
        throw new IllegalArgumentException(name + ": expert " + expert + " is outside the config's "
            + routedExperts + " routed experts");
      }
      return new ExpertShardRule(ExpertShardRule.Kind.EXPERT, expert, expert / (routedExperts / ep));
    }
    String module = ShardRules.module(name);
    if (module.endsWith(".mlp.gate") || name.endsWith(".mlp.gate.e_score_correction_bias")) {
      return ExpertShardRule.of(ExpertShardRule.Kind.REPLICATE);
    }
    if (endsWithAny(module, "q_a_proj", "kv_a_proj_with_mqa", "q_a_layernorm", "kv_a_layernorm",
        "q_norm", "k_norm")) {
      return ExpertShardRule.of(ExpertShardRule.Kind.REPLICATE);
    }
    if (endsWithAny(module, "q_b_proj", "kv_b_proj", "q_proj", "k_proj", "v_proj", "gate_proj",
        "up_proj")) {
      return ExpertShardRule.of(ExpertShardRule.Kind.COLUMN);
    }
    if (endsWithAny(module, "o_proj", "down_proj")) {
      return ExpertShardRule.of(ExpertShardRule.Kind.ROW);
    }
    if (endsWithAny(module, "embed_tokens", "lm_head")) {
      return ExpertShardRule.of(ExpertShardRule.Kind.VOCAB);
    }
    return ExpertShardRule.of(ExpertShardRule.Kind.REPLICATE);
  }

  private static boolean endsWithAny(String module, String... suffixes) {
    for (String suffix : suffixes) {
      if (module.endsWith("." + suffix) || module.equals(suffix)) {
        return true;
      }
    }
    return false;
  }
}
