package io.novacron.workflows.model;

/**
 * The ranges a model's dimensions must fall in, checked in one place so that no size the planner
 * or the checkpoint inspector computes can overflow a {@code long}.
 *
 * <p>The ceilings are several times the largest public decoders (Llama 3.1 405B: 126 layers,
 * hidden 16384, MLP 53248; vocabularies up to 262144) yet small enough that the largest product the
 * planner forms, {@code layers * 3 * hidden * intermediate} bytes times a 4-byte dtype, stays below
 * 2^62. A value outside its range is almost always a typo or a hostile config, and the error names
 * the config key, the value and the range.
 */
public final class ModelBounds {
  public static final int MAX_LAYERS = 1_024;
  public static final int MAX_HIDDEN = 131_072;
  public static final int MAX_HEADS = 1_024;
  public static final int MAX_HEAD_DIM = 1_024;
  public static final int MAX_INTERMEDIATE = 1_048_576;
  public static final int MAX_VOCAB = 4_194_304;

  private ModelBounds() {}

  /**
   * Checks every dimension of a model; throws {@link IllegalArgumentException} naming the first
   * key ({@code config.json} spelling) that is out of range.
   */
  public static void check(String model, int layers, int hiddenSize, int heads, int kvHeads,
      int intermediateSize, int vocabSize, int headDim) {
    range(model, "num_hidden_layers", layers, MAX_LAYERS);
    range(model, "hidden_size", hiddenSize, MAX_HIDDEN);
    range(model, "num_attention_heads", heads, MAX_HEADS);
    range(model, "num_key_value_heads", kvHeads, heads);
    range(model, "intermediate_size", intermediateSize, MAX_INTERMEDIATE);
    range(model, "vocab_size", vocabSize, MAX_VOCAB);
    range(model, "head_dim", headDim, MAX_HEAD_DIM);
  }

  /** Throws unless {@code 1 <= value <= max}, naming {@code key}, the value and the range. */
  public static void range(String model, String key, long value, long max) {
    if (value < 1 || value > max) {
      throw new IllegalArgumentException("model " + model + ": " + key + " " + value
          + " is outside 1.." + max + "; fix config.json");
    }
  }
}
