package io.novacron.checkpoint;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.novacron.workflows.model.ModelBounds;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads the Llama keys of a Hugging Face {@code config.json}. */
public final class ModelConfigReader {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ModelConfigReader() {}

  /** The config at {@code configJson}, named {@code name}. */
  public static ModelConfig read(Path configJson, String name) throws IOException {
    JsonNode root;
    try {
      root = JSON.readTree(Files.readString(configJson));
    } catch (JsonProcessingException e) {
      throw new CheckpointException(configJson, "not JSON (" + e.getOriginalMessage() + ")");
    }
    if (root == null || !root.isObject()) {
      throw new CheckpointException(configJson, "not a JSON object");
    }
    int hidden = positive(configJson, root, "hidden_size");
    int heads = positive(configJson, root, "num_attention_heads");
    int kvHeads = root.has("num_key_value_heads") ? positive(configJson, root, "num_key_value_heads") : heads;
    int headDim;
    if (root.hasNonNull("head_dim")) {
      headDim = positive(configJson, root, "head_dim");
    } else if (hidden % heads == 0) {
      headDim = hidden / heads;
    } else {
      throw new CheckpointException(configJson, "hidden_size " + hidden
          + " is not a multiple of num_attention_heads " + heads + " and head_dim is absent");
    }
    if (heads % kvHeads != 0) {
      throw new CheckpointException(configJson, "num_attention_heads " + heads
          + " is not a multiple of num_key_value_heads " + kvHeads);
    }
    int layers = positive(configJson, root, "num_hidden_layers");
    int intermediate = positive(configJson, root, "intermediate_size");
    int vocab = positive(configJson, root, "vocab_size");
    try {
      // The same bounds the planner's ModelShape enforces, reported here against the file.
      ModelBounds.check(name, layers, hidden, heads, kvHeads, intermediate, vocab, headDim);
    } catch (IllegalArgumentException e) {
      throw new CheckpointException(configJson, e.getMessage());
    }
    JsonNode quant = root.path("quantization_config");
    String dtype = root.hasNonNull("torch_dtype") ? root.get("torch_dtype").asText()
        : root.hasNonNull("dtype") ? root.get("dtype").asText() : null;
    return new ModelConfig(
        name,
        root.hasNonNull("model_type") ? root.get("model_type").asText() : null,
        hidden,
        intermediate,
        layers,
        heads,
        kvHeads,
        headDim,
        vocab,
        root.path("tie_word_embeddings").asBoolean(false),
        dtype,
        quant.hasNonNull("quant_method") ? quant.get("quant_method").asText() : null,
        quant.path("bits").asInt(0));
  }

  private static int positive(Path file, JsonNode root, String key) throws CheckpointException {
    JsonNode node = root.get(key);
    if (node == null || node.isNull()) {
      throw new CheckpointException(file, "missing '" + key + "'");
    }
    if (!node.isIntegralNumber() || !node.canConvertToInt() || node.asInt() < 1) {
      throw new CheckpointException(file, "'" + key + "' must be a positive integer, got " + node);
    }
    return node.asInt();
  }
}
