package io.novacron.workflows.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Config values out of range are refused by name; at the ceilings no size overflows. */
class ModelBoundsTest {
  @Test
  void a_vocab_of_2_pow_31_minus_1_is_refused_naming_the_key_and_range() {
    assertThatThrownBy(() -> ModelShape.llama("m", 32, 4096, 32, 8, 14336, Integer.MAX_VALUE, false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("model m: vocab_size 2147483647 is outside 1..4194304; fix config.json");
  }

  @Test
  void a_hidden_size_of_10_pow_9_is_refused() {
    assertThatThrownBy(() -> new ModelShape("m", 32, 1_000_000_000, 32, 8, 14336, 128256, 128, false))
        .hasMessageContaining("hidden_size 1000000000 is outside 1..131072");
  }

  @Test
  void zero_is_still_refused() {
    assertThatThrownBy(() -> new ModelShape("m", 0, 4096, 32, 8, 14336, 128256, 128, false))
        .hasMessageContaining("num_hidden_layers 0 is outside 1..1024");
  }

  @Test
  void the_largest_allowed_model_plans_with_positive_sizes_and_does_not_fit() {
    ModelShape max = new ModelShape("max", ModelBounds.MAX_LAYERS, ModelBounds.MAX_HIDDEN,
        ModelBounds.MAX_HEADS, ModelBounds.MAX_HEADS, ModelBounds.MAX_INTERMEDIATE,
        ModelBounds.MAX_VOCAB, ModelBounds.MAX_HEAD_DIM, false);
    assertThat(max.parameterCount()).isPositive();
    assertThat(Math.multiplyExact(max.parameterCount(), 4L)).isPositive();

    ParallelismPlan plan = ParallelismPlanner.plan(new PlanRequest(max, WeightDtype.BF16,
        KvCacheDtype.values()[0], List.of(GpuNode.ofGib("n", 8, "gpu", 80)),
        PlanRequest.DEFAULT_CONTEXT, PlanRequest.DEFAULT_BATCH, PlanRequest.DEFAULT_UTILIZATION_CAP));
    assertThat(plan.fits()).isFalse();
  }
}
