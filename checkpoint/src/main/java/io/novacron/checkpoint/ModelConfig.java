package io.novacron.checkpoint;

import io.novacron.workflows.model.ModelShape;
import io.novacron.workflows.model.WeightDtype;
import java.util.Locale;

/**
 * What a checkpoint's {@code config.json} says about the model.
 *
 * @param name the checkpoint's name (its directory)
 * @param modelType {@code model_type}, e.g. {@code llama}; null where absent
 * @param hiddenSize {@code hidden_size}
 * @param intermediateSize {@code intermediate_size}
 * @param layers {@code num_hidden_layers}
 * @param heads {@code num_attention_heads}
 * @param kvHeads {@code num_key_value_heads}, {@code heads} where absent (no GQA)
 * @param headDim {@code head_dim}, {@code hiddenSize / heads} where absent
 * @param vocabSize {@code vocab_size}
 * @param tieWordEmbeddings {@code tie_word_embeddings}, false where absent
 * @param torchDtype {@code torch_dtype} (or {@code dtype}), e.g. {@code bfloat16}; null where absent
 * @param quantMethod {@code quantization_config.quant_method}, e.g. {@code fp8}; null when unquantized
 * @param quantBits {@code quantization_config.bits}, 0 where absent
 */
public record ModelConfig(
    String name,
    String modelType,
    int hiddenSize,
    int intermediateSize,
    int layers,
    int heads,
    int kvHeads,
    int headDim,
    int vocabSize,
    boolean tieWordEmbeddings,
    String torchDtype,
    String quantMethod,
    int quantBits) {

  /** The shape the planner works from. */
  public ModelShape shape() {
    return new ModelShape(name, layers, hiddenSize, heads, kvHeads, intermediateSize, vocabSize,
        headDim, tieWordEmbeddings);
  }

  /**
   * The weight type the checkpoint is stored in, as the planner names it: 4-bit AWQ/GPTQ is INT4, an
   * FP8 recipe ({@code fp8}, {@code fbgemm_fp8}) is FP8, anything else is served in BF16 (FP16 has
   * the same width; FP32 checkpoints are cast down on load). Recipes whose width the config does not
   * state plainly (compressed-tensors, for one) also read as BF16, the conservative answer; the CLI's
   * {@code --dtype} overrides it.
   */
  public WeightDtype weightDtype() {
    if (quantMethod == null) {
      return WeightDtype.BF16;
    }
    String method = quantMethod.toLowerCase(Locale.ROOT);
    if (method.contains("fp8")) {
      return WeightDtype.FP8;
    }
    if (quantBits == 4 || method.equals("awq")) {
      return WeightDtype.INT4;
    }
    return WeightDtype.BF16;
  }
}
