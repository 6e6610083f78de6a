package io.novacron.workflows.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class MoeModelShapeTest {
  private static final MoeModelShape DEEPSEEK = KnownMoeModels.find("deepseek-v3").orElseThrow();
  private static final MoeModelShape QWEN = KnownMoeModels.find("Qwen3-235B-A22B").orElseThrow();

  @Test
  void deepseek_v3_counts_671b_total_and_37b_active() {
    assertThat(DEEPSEEK.parameterCount() / 1e9).isCloseTo(671, within(671 * 0.01));
    // 37.5 B with both embedding matrices counted; DeepSeek's "37B activated" rounds down.
    assertThat(DEEPSEEK.activeParameterCount() / 1e9).isCloseTo(37, within(37 * 0.015));
    assertThat(DEEPSEEK.moeLayers()).isEqualTo(58);
  }

  @Test
  void qwen3_235b_counts_235b_total_and_22b_active() {
    assertThat(QWEN.parameterCount() / 1e9).isCloseTo(235, within(235 * 0.01));
    assertThat(QWEN.activeParameterCount() / 1e9).isCloseTo(22, within(22 * 0.01));
    assertThat(QWEN.moeLayers()).isEqualTo(94);
  }

  @Test
  void mla_caches_the_latent_and_rope_key_not_per_head_kv() {
    assertThat(DEEPSEEK.kvCacheElementsPerTokenLayer()).isEqualTo(512 + 64);
    assertThat(QWEN.kvCacheElementsPerTokenLayer()).isEqualTo(2 * 4 * 128);
  }

  @Test
  void mla_attention_parameters_follow_the_projections() {
    long h = 7168;
    long expected = h * 1536 + 1536L * 128 * 192 + h * 576 + 512L * 128 * 256 + 128L * 128 * h
        + 1536 + 512;
    assertThat(DEEPSEEK.attentionParametersPerLayer()).isEqualTo(expected);
  }

  @Test
  void bad_moe_fields_name_the_config_key() {
    assertThatThrownBy(() -> new MoeSpec(8, 9, 0, 128, 0, 128))
        .hasMessageContaining("num_experts_per_tok");
    assertThatThrownBy(() -> new MoeModelShape("m", 2, 64, 4, 4, 16, 100, false, false,
        new MoeSpec(8, 2, 0, 128, 3, 128), null))
        .hasMessageContaining("first_k_dense_replace");
  }
}
