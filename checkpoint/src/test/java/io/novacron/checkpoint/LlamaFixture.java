package io.novacron.checkpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.novacron.workflows.model.ModelShape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A small Llama-shaped checkpoint with the real Hugging Face tensor names, written as real
 * safetensors: {@code config.json}, one or several files (with {@code model.safetensors.index.json}
 * for several), BF16 weights, or an FP8 layout where the linear weights are F8_E4M3 with an F32
 * per-output-channel {@code weight_scale} and a scalar {@code input_scale}, as FP8 checkpoints ship
 * them. Tensor bytes are seeded random, so every byte is distinct enough for a mix-up to show.
 */
public record LlamaFixture(int layers, int hidden, int heads, int kvHeads, int ffn, int vocab, boolean tied,
    boolean fp8, int files) {

  private static final ObjectMapper JSON = new ObjectMapper();

  public static LlamaFixture small() {
    return new LlamaFixture(4, 64, 8, 2, 128, 96, false, false, 1);
  }

  public LlamaFixture withLayers(int n) {
    return new LlamaFixture(n, hidden, heads, kvHeads, ffn, vocab, tied, fp8, files);
  }

  LlamaFixture withKvHeads(int n) {
    return new LlamaFixture(layers, hidden, heads, n, ffn, vocab, tied, fp8, files);
  }

  public LlamaFixture withVocab(int n) {
    return new LlamaFixture(layers, hidden, heads, kvHeads, ffn, n, tied, fp8, files);
  }

  LlamaFixture tiedEmbeddings() {
    return new LlamaFixture(layers, hidden, heads, kvHeads, ffn, vocab, true, fp8, files);
  }

  LlamaFixture fp8Weights() {
    return new LlamaFixture(layers, hidden, heads, kvHeads, ffn, vocab, tied, true, files);
  }

  LlamaFixture inFiles(int n) {
    return new LlamaFixture(layers, hidden, heads, kvHeads, ffn, vocab, tied, fp8, n);
  }

  int headDim() {
    return hidden / heads;
  }

  ModelShape shape() {
    return ModelShape.llama("fixture", layers, hidden, heads, kvHeads, ffn, vocab, tied);
  }

  /** Writes the checkpoint into {@code dir} and returns {@code dir}. */
  public Path write(Path dir) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("config.json"), config());
    Random random = new Random(layers * 31L + hidden);
    List<List<SafetensorsFiles.Tensor>> perFile = new ArrayList<>();
    for (int f = 0; f < files; f++) {
      perFile.add(new ArrayList<>());
    }
    perFile.get(0).add(tensor("model.embed_tokens.weight", "BF16", random, vocab, hidden));
    for (int layer = 0; layer < layers; layer++) {
      List<SafetensorsFiles.Tensor> out = perFile.get(layer * files / layers);
      String p = "model.layers." + layer + ".";
      out.add(tensor(p + "input_layernorm.weight", "BF16", random, hidden));
      linear(out, p + "self_attn.q_proj", random, heads * headDim(), hidden);
      linear(out, p + "self_attn.k_proj", random, kvHeads * headDim(), hidden);
      linear(out, p + "self_attn.v_proj", random, kvHeads * headDim(), hidden);
      linear(out, p + "self_attn.o_proj", random, hidden, heads * headDim());
      out.add(tensor(p + "post_attention_layernorm.weight", "BF16", random, hidden));
      linear(out, p + "mlp.gate_proj", random, ffn, hidden);
      linear(out, p + "mlp.up_proj", random, ffn, hidden);
      linear(out, p + "mlp.down_proj", random, hidden, ffn);
    }
    List<SafetensorsFiles.Tensor> last = perFile.get(files - 1);
    last.add(tensor("model.norm.weight", "BF16", random, hidden));
    if (!tied) {
      last.add(tensor("lm_head.weight", "BF16", random, vocab, hidden));
    }

    Map<String, String> weightMap = new LinkedHashMap<>();
    long totalSize = 0;
    for (int f = 0; f < files; f++) {
      String name = files == 1 ? "model.safetensors"
          : String.format("model-%05d-of-%05d.safetensors", f + 1, files);
      SafetensorsFiles.write(dir.resolve(name), perFile.get(f), Map.of("format", "pt"));
      for (SafetensorsFiles.Tensor t : perFile.get(f)) {
        weightMap.put(t.name(), name);
        totalSize += t.data().length;
      }
    }
    if (files > 1) {
      ObjectNode index = JSON.createObjectNode();
      index.putObject("metadata").put("total_size", totalSize);
      ObjectNode map = index.putObject("weight_map");
      weightMap.forEach(map::put);
      Files.writeString(dir.resolve("model.safetensors.index.json"), index.toPrettyString());
    }
    return dir;
  }

  /** Parameters the checkpoint stores: the model's, plus FP8 scales. */
  long storedParameters() {
    long scales = 0;
    if (fp8) {
      long perLayer = (long) heads * headDim() + 2L * kvHeads * headDim() + hidden + 2L * ffn + hidden;
      scales = layers * (perLayer + 7); // per-channel weight scales, plus 7 scalar input scales
    }
    return shape().parameterCount() + scales;
  }

  private void linear(List<SafetensorsFiles.Tensor> out, String module, Random random, int rows,
      int cols) {
    if (!fp8) {
      out.add(tensor(module + ".weight", "BF16", random, rows, cols));
      return;
    }
    out.add(tensor(module + ".weight", "F8_E4M3", random, rows, cols));
    out.add(tensor(module + ".weight_scale", "F32", random, rows, 1));
    out.add(tensor(module + ".input_scale", "F32", random));
  }

  private static SafetensorsFiles.Tensor tensor(String name, String dtype, Random random, long... shape) {
    long elements = 1;
    List<Long> dims = new ArrayList<>();
    for (long d : shape) {
      elements *= d;
      dims.add(d);
    }
    int width = switch (dtype) {
      case "F8_E4M3" -> 1;
      case "BF16" -> 2;
      case "F32" -> 4;
      default -> throw new IllegalArgumentException(dtype);
    };
    byte[] data = new byte[(int) (elements * width)];
    random.nextBytes(data);
    return new SafetensorsFiles.Tensor(name, dtype, dims, data);
  }

  private String config() {
    ObjectNode config = JSON.createObjectNode();
    config.putArray("architectures").add("LlamaForCausalLM");
    config.put("model_type", "llama");
    config.put("hidden_size", hidden);
    config.put("intermediate_size", ffn);
    config.put("num_hidden_layers", layers);
    config.put("num_attention_heads", heads);
    config.put("num_key_value_heads", kvHeads);
    config.put("vocab_size", vocab);
    config.put("tie_word_embeddings", tied);
    config.put("torch_dtype", "bfloat16");
    config.put("rms_norm_eps", 1e-5);
    if (fp8) {
      ObjectNode quant = config.putObject("quantization_config");
      quant.put("quant_method", "fbgemm_fp8");
      quant.put("activation_scale_ub", 1200.0);
    }
    return config.toPrettyString();
  }
}
