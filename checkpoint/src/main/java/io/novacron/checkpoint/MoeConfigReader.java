package io.novacron.checkpoint;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.novacron.workflows.model.MlaSpec;
import io.novacron.workflows.model.MoeModelShape;
import io.novacron.workflows.model.MoeSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads the mixture-of-experts keys of a Hugging Face {@code config.json}: DeepSeek's ({@code
 * model_type} {@code deepseek_v3}/{@code deepseek_v2}: {@code n_routed_experts}, {@code
 * n_shared_experts}, {@code first_k_dense_replace} and the MLA ranks) and Qwen3-MoE's ({@code
 * qwen3_moe}: {@code num_experts}, {@code decoder_sparse_step}, {@code mlp_only_layers}). Kept
 * beside {@link ModelConfigReader}, which reads dense Llama configs.
 */
public final class MoeConfigReader {
  private static final ObjectMapper JSON = new ObjectMapper();

  private MoeConfigReader() {}

  /** Whether {@code config.json} describes a MoE model this reader understands. */
  public static boolean isMoe(Path configJson) throws IOException {
    JsonNode root = parse(configJson);
    return root.has("n_routed_experts") || root.has("num_experts");
  }

  /**
   * Layers a checkpoint holds beyond {@code num_hidden_layers}: DeepSeek-V3's multi-token
   * prediction module ({@code num_nextn_predict_layers}, layer 61 of a 61-layer model); 0 without.
   */
  public static int extraPredictionLayers(Path configJson) throws IOException {
    int n = parse(configJson).path("num_nextn_predict_layers").asInt(0);
    if (n < 0 || n > 16) {
      throw new CheckpointException(configJson, "num_nextn_predict_layers " + n + " is outside 0..16");
    }
    return n;
  }

  /**
   * The routed experts ({@code n_routed_experts}, DeepSeek; {@code num_experts}, Qwen3-MoE) alone:
   * what sharding by expert needs, read even where the rest of the config is not modelled.
   */
  public static int routedExperts(Path configJson) throws IOException {
    JsonNode root = parse(configJson);
    return positive(configJson, root, root.has("n_routed_experts") ? "n_routed_experts" : "num_experts");
  }

  /** The MoE shape at {@code configJson}, named {@code name}. */
  public static MoeModelShape read(Path configJson, String name) throws IOException {
    JsonNode root = parse(configJson);
    String experts = root.has("n_routed_experts") ? "n_routed_experts" : "num_experts";
    if (!root.has(experts)) {
      throw new CheckpointException(configJson, "not a mixture-of-experts config: neither"
          + " 'n_routed_experts' (DeepSeek) nor 'num_experts' (Qwen3-MoE) is present");
    }
    int layers = positive(configJson, root, "num_hidden_layers");
    int hidden = positive(configJson, root, "hidden_size");
    int heads = positive(configJson, root, "num_attention_heads");
    int kvHeads = root.has("num_key_value_heads")
        ? positive(configJson, root, "num_key_value_heads") : heads;
    int headDim = root.hasNonNull("head_dim") ? positive(configJson, root, "head_dim")
        : hidden / heads;
    int denseLayers = denseLayers(configJson, root, layers);
    MoeSpec moe = new MoeSpec(
        positive(configJson, root, experts),
        positive(configJson, root, "num_experts_per_tok"),
        root.path("n_shared_experts").asInt(0),
        positive(configJson, root, "moe_intermediate_size"),
        denseLayers,
        // Without dense layers the dense width is unused; some Qwen3-MoE copies state it as 0.
        denseLayers == 0 && root.path("intermediate_size").asInt(0) < 1
            ? positive(configJson, root, "moe_intermediate_size")
            : positive(configJson, root, "intermediate_size"));
    MlaSpec mla = root.hasNonNull("kv_lora_rank")
        ? new MlaSpec(
            // DeepSeek-V2-Lite has no query compression (q_lora_rank null); not modelled.
            positive(configJson, root, "q_lora_rank"),
            positive(configJson, root, "kv_lora_rank"),
            positive(configJson, root, "qk_nope_head_dim"),
            positive(configJson, root, "qk_rope_head_dim"),
            positive(configJson, root, "v_head_dim"))
        : null;
    boolean qkNorm = "qwen3_moe".equals(root.path("model_type").asText());
    try {
      // MLA has no head_dim key; its per-head widths live in the MLA fields, v_head_dim standing in.
      return new MoeModelShape(name, layers, hidden, heads, kvHeads,
          mla != null ? mla.vHeadDim() : headDim,
          positive(configJson, root, "vocab_size"), root.path("tie_word_embeddings").asBoolean(false),
          qkNorm, moe, mla);
    } catch (IllegalArgumentException e) {
      throw new CheckpointException(configJson, e.getMessage());
    }
  }

  /**
   * Leading dense layers: {@code first_k_dense_replace} (DeepSeek). Qwen3-MoE states its dense
   * layers as {@code mlp_only_layers} and {@code decoder_sparse_step}; only the all-MoE case (empty
   * list, step 1), which every released Qwen3-MoE uses, is accepted.
   */
  private static int denseLayers(Path file, JsonNode root, int layers) throws CheckpointException {
    if (root.has("first_k_dense_replace")) {
      int k = root.get("first_k_dense_replace").asInt(-1);
      if (k < 0 || k > layers) {
        throw new CheckpointException(file, "'first_k_dense_replace' must be in 0.." + layers
            + ", got " + root.get("first_k_dense_replace"));
      }
      return k;
    }
    JsonNode only = root.path("mlp_only_layers");
    int step = root.path("decoder_sparse_step").asInt(1);
    if ((only.isArray() && !only.isEmpty()) || step != 1) {
      throw new CheckpointException(file, "'mlp_only_layers' " + only + " / 'decoder_sparse_step' "
          + step + ": only all-MoE Qwen3 configs (empty list, step 1) are planned");
    }
    return 0;
  }

  private static JsonNode parse(Path configJson) throws IOException {
    JsonNode root;
    try {
      root = JSON.readTree(Files.readString(configJson));
    } catch (JsonProcessingException e) {
      throw new CheckpointException(configJson, "not JSON (" + e.getOriginalMessage() + ")");
    }
    if (root == null || !root.isObject()) {
      throw new CheckpointException(configJson, "not a JSON object");
    }
    return root;
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
