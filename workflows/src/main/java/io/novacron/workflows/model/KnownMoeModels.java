package io.novacron.workflows.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Shapes of well-known mixture-of-experts checkpoints, from their published {@code config.json}:
 * huggingface.co/deepseek-ai/DeepSeek-V3/blob/main/config.json and
 * huggingface.co/Qwen/Qwen3-235B-A22B/blob/main/config.json.
 */
public final class KnownMoeModels {
  private static final Map<String, MoeModelShape> MODELS = new LinkedHashMap<>();

  static {
    // 61 layers, the first 3 dense (intermediate_size 18432), 256 routed + 1 shared expert of width
    // 2048, top-8; MLA with q_lora_rank 1536, kv_lora_rank 512, qk dims 128 + 64, v_head_dim 128.
    add(new MoeModelShape("deepseek-v3", 61, 7168, 128, 128, 128, 129280, false, false,
        new MoeSpec(256, 8, 1, 2048, 3, 18432), new MlaSpec(1536, 512, 128, 64, 128)));
    // 94 layers, all MoE (decoder_sparse_step 1, mlp_only_layers []), 128 experts of width 1536,
    // top-8, no shared expert; GQA 64/4 heads of 128 with q/k norms.
    add(new MoeModelShape("qwen3-235b-a22b", 94, 4096, 64, 4, 128, 151936, false, true,
        new MoeSpec(128, 8, 0, 1536, 0, 12288), null));
  }

  private KnownMoeModels() {}

  private static void add(MoeModelShape shape) {
    MODELS.put(shape.name(), shape);
  }

  /** The shape named {@code name} (case-insensitive), if known. */
  public static Optional<MoeModelShape> find(String name) {
    return Optional.ofNullable(MODELS.get(name.toLowerCase(Locale.ROOT)));
  }

  /** The known names, in a stable order. */
  public static List<String> names() {
    return List.copyOf(MODELS.keySet());
  }
}
