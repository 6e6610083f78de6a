package io.novacron.workflows.model.deploy;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The files a deployment writes on every node, and so what the serving process loads.
 *
 * <ul>
 *   <li>{@link #NOVACRON}: one file per rank (pipeline stage x TP rank) with Hugging Face names and
 *       a {@code novacron-shards.json} manifest holding each piece's SHA-256; any TP x PP layout.
 *   <li>{@link #VLLM_SHARDED_STATE}: vLLM's own {@code sharded_state} layout,
 *       {@code model-rank-{r}-part-0.safetensors} per TP rank with vLLM's fused names, plus the
 *       checkpoint's config and tokenizer files; vLLM starts with {@code --load-format
 *       sharded_state}. vLLM's loader names files by TP rank only, so PP must be 1.
 * </ul>
 */
public enum ShardFormat {
  NOVACRON("novacron"),
  VLLM_SHARDED_STATE("vllm-sharded-state");

  private final String label;

  ShardFormat(String label) {
    this.label = label;
  }

  /** The name a request uses: {@code novacron} or {@code vllm-sharded-state}. */
  public String label() {
    return label;
  }

  /** The labels, in declaration order, for error messages and forms. */
  public static List<String> labels() {
    return Arrays.stream(values()).map(ShardFormat::label).toList();
  }

  /**
   * The format a request names; null or blank for {@link #NOVACRON}. Case is ignored.
   *
   * @throws IllegalArgumentException naming the allowed values
   */
  public static ShardFormat parse(String value) {
    if (value == null || value.isBlank()) {
      return NOVACRON;
    }
    String wanted = value.trim().toLowerCase(Locale.ROOT);
    for (ShardFormat format : values()) {
      if (format.label.equals(wanted)) {
        return format;
      }
    }
    throw new IllegalArgumentException("must be one of " + labels() + " (null for novacron), was '" + value + "'");
  }

  /**
   * vLLM's {@code --load-format} value for files in this format: {@code auto} (vLLM's default) for
   * NovaCron's own files, {@code sharded_state} for vLLM's.
   */
  public String vllmLoadFormat() {
    return this == VLLM_SHARDED_STATE ? "sharded_state" : "auto";
  }
}
