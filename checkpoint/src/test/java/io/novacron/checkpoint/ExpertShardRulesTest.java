package io.novacron.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.novacron.checkpoint.ExpertShardRule.Kind;
import org.junit.jupiter.api.Test;

class ExpertShardRulesTest {
  private static Kind kind(String name) {
    return ExpertShardRules.ruleOf(name, 256, 8).kind();
  }

  @Test
  void routed_experts_go_whole_to_contiguous_ep_ranks() {
    ExpertShardRule first = ExpertShardRules.ruleOf("model.layers.3.mlp.experts.0.gate_proj.weight", 256, 8);
    assertThat(first).isEqualTo(new ExpertShardRule(Kind.EXPERT, 0, 0));
    assertThat(ExpertShardRules.ruleOf("model.layers.60.mlp.experts.31.up_proj.weight", 256, 8).epRank()).isZero();
    assertThat(ExpertShardRules.ruleOf("model.layers.60.mlp.experts.32.down_proj.weight", 256, 8).epRank()).isEqualTo(1);
    assertThat(ExpertShardRules.ruleOf("model.layers.60.mlp.experts.255.down_proj.weight_scale_inv", 256, 8))
        .isEqualTo(new ExpertShardRule(Kind.EXPERT, 255, 7));
    // Qwen3-MoE names its experts the same way.
    assertThat(ExpertShardRules.ruleOf("model.layers.93.mlp.experts.127.gate_proj.weight", 128, 8).epRank()).isEqualTo(7);
  }

  @Test
  void router_is_replicated_and_shared_experts_split_like_a_dense_mlp() {
    assertThat(kind("model.layers.3.mlp.gate.weight")).isEqualTo(Kind.REPLICATE);
    assertThat(kind("model.layers.3.mlp.gate.e_score_correction_bias")).isEqualTo(Kind.REPLICATE);
    assertThat(kind("model.layers.3.mlp.shared_experts.gate_proj.weight")).isEqualTo(Kind.COLUMN);
    assertThat(kind("model.layers.3.mlp.shared_experts.up_proj.weight")).isEqualTo(Kind.COLUMN);
    assertThat(kind("model.layers.3.mlp.shared_experts.down_proj.weight")).isEqualTo(Kind.ROW);
    assertThat(kind("model.layers.0.mlp.down_proj.weight")).isEqualTo(Kind.ROW);
  }

  @Test
  void mla_replicates_the_low_rank_parts_and_splits_heads() {
    assertThat(kind("model.layers.0.self_attn.q_a_proj.weight")).isEqualTo(Kind.REPLICATE);
    assertThat(kind("model.layers.0.self_attn.q_a_layernorm.weight")).isEqualTo(Kind.REPLICATE);
    assertThat(kind("model.layers.0.self_attn.kv_a_proj_with_mqa.weight")).isEqualTo(Kind.REPLICATE);
    assertThat(kind("model.layers.0.self_attn.kv_a_layernorm.weight")).isEqualTo(Kind.REPLICATE);
    assertThat(kind("model.layers.0.self_attn.q_b_proj.weight")).isEqualTo(Kind.COLUMN);
    assertThat(kind("model.layers.0.self_attn.kv_b_proj.weight")).isEqualTo(Kind.COLUMN);
    assertThat(kind("model.layers.0.self_attn.o_proj.weight")).isEqualTo(Kind.ROW);
  }

  @Test
  void qwen3_attention_and_the_ends_follow_the_dense_rules() {
    assertThat(kind("model.layers.0.self_attn.q_norm.weight")).isEqualTo(Kind.REPLICATE);
    assertThat(kind("model.layers.0.self_attn.k_proj.weight")).isEqualTo(Kind.COLUMN);
    assertThat(kind("model.embed_tokens.weight")).isEqualTo(Kind.VOCAB);
    assertThat(kind("lm_head.weight")).isEqualTo(Kind.VOCAB);
    assertThat(kind("model.norm.weight")).isEqualTo(Kind.REPLICATE);
  }

  @Test
  void an_ep_that_does_not_divide_the_experts_or_a_stray_expert_is_refused() {
    assertThatThrownBy(() -> ExpertShardRules.ruleOf("lm_head.weight", 256, 6))
        .hasMessageContaining("ep 6").hasMessageContaining("256");
    assertThatThrownBy(() -> ExpertShardRules.ruleOf("model.layers.3.mlp.experts.256.up_proj.weight", 256, 8))
        .hasMessageContaining("expert 256");
  }
}
