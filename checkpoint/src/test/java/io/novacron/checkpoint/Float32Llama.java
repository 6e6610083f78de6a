package io.novacron.checkpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A small Llama checkpoint in float32 whose weights are numbers a forward pass can use (seeded
 * Gaussians, norms near one), unlike {@link LlamaFixture}'s random bytes, which are only good for
 * moving around. GQA and an untied {@code lm_head}, as the oracle needs.
 *
 * @param layers decoder layers
 * @param hidden hidden size
 * @param heads query heads
 * @param kvHeads KV heads
 * @param ffn MLP intermediate size
 * @param vocab vocabulary size
 */
record Float32Llama(int layers, int hidden, int heads, int kvHeads, int ffn, int vocab) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** 8 query heads sharing 2 KV heads, so TP 4 and 8 replicate KV heads; an odd vocabulary. */
  static Float32Llama small() {
    return new Float32Llama(4, 64, 8, 2, 128, 97);
  }

  int headDim() {
    return hidden / heads;
  }

  /** Writes {@code config.json} and {@code model.safetensors} into {@code dir}; returns {@code dir}. */
  Path write(Path dir) throws IOException {
    Files.createDirectories(dir);
    Random random = new Random(20);
    List<SafetensorsFiles.Tensor> out = new ArrayList<>();
    out.add(gaussian("model.embed_tokens.weight", random, 1.0f, 0f, vocab, hidden));
    int q = heads * headDim();
    int kv = kvHeads * headDim();
    // Scaled by 1/sqrt(fan-in) so activations stay near one and float32 rounding stays small.
    float inScale = (float) (1 / Math.sqrt(hidden));
    for (int layer = 0; layer < layers; layer++) {
      String p = "model.layers." + layer + ".";
      out.add(gaussian(p + "input_layernorm.weight", random, 0.1f, 1f, hidden));
      out.add(gaussian(p + "self_attn.q_proj.weight", random, inScale, 0f, q, hidden));
      out.add(gaussian(p + "self_attn.k_proj.weight", random, inScale, 0f, kv, hidden));
      out.add(gaussian(p + "self_attn.v_proj.weight", random, inScale, 0f, kv, hidden));
      out.add(gaussian(p + "self_attn.o_proj.weight", random, (float) (1 / Math.sqrt(q)), 0f, hidden, q));
      out.add(gaussian(p + "post_attention_layernorm.weight", random, 0.1f, 1f, hidden));
      out.add(gaussian(p + "mlp.gate_proj.weight", random, inScale, 0f, ffn, hidden));
      out.add(gaussian(p + "mlp.up_proj.weight", random, inScale, 0f, ffn, hidden));
      out.add(gaussian(p + "mlp.down_proj.weight", random, (float) (1 / Math.sqrt(ffn)), 0f, hidden, ffn));
    }
    out.add(gaussian("model.norm.weight", random, 0.1f, 1f, hidden));
    out.add(gaussian("lm_head.weight", random, inScale, 0f, vocab, hidden));
    SafetensorsFiles.write(dir.resolve("model.safetensors"), out, Map.of("format", "pt"));
    Files.writeString(dir.resolve("config.json"), config());
    return dir;
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
    config.put("tie_word_embeddings", false);
    config.put("torch_dtype", "float32");
    config.put("rms_norm_eps", 1e-5);
    config.put("rope_theta", 10000.0);
    return config.toPrettyString();
  }

  private static SafetensorsFiles.Tensor gaussian(String name, Random random, float scale,
      float mean, long... shape) {
    long elements = 1;
    List<Long> dims = new ArrayList<>();
    for (long d : shape) {
      elements *= d;
      dims.add(d);
    }
    ByteBuffer data = ByteBuffer.allocate((int) elements * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (long i = 0; i < elements; i++) {
      data.putFloat(mean + scale * (float) random.nextGaussian());
    }
    return new SafetensorsFiles.Tensor(name, "F32", dims, data.array());
  }
}
