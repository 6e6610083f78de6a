package io.novacron.checkpoint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A tiny Qwen3-MoE checkpoint (GQA attention with q/k norms, every layer MoE, no shared experts):
 * hidden 64, 8 heads of 8, 2 KV heads, {@code experts} routed experts of width 32, vocabulary 96,
 * 2 layers, BF16 random weights. {@code badExpertShape} writes expert 3 of layer 1's
 * {@code down_proj} 16 columns wide instead of 32.
 */
record MoeFixture(int experts, boolean badExpertShape, boolean missingExpert) {
  static final int LAYERS = 2;
  static final int HIDDEN = 64;
  static final int HEADS = 8;
  static final int KV_HEADS = 2;
  static final int HEAD_DIM = 8;
  static final int EXPERT_FFN = 32;
  static final int VOCAB = 96;

  static MoeFixture of(int experts) {
    return new MoeFixture(experts, false, false);
  }

  Path write(Path dir) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("config.json"), """
        {"architectures": ["Qwen3MoeForCausalLM"], "model_type": "qwen3_moe", "vocab_size": %d,
         "hidden_size": %d, "intermediate_size": 128, "moe_intermediate_size": %d,
         "num_hidden_layers": %d, "num_attention_heads": %d, "num_key_value_heads": %d, "head_dim": %d,
         "num_experts": %d, "num_experts_per_tok": 2, "decoder_sparse_step": 1, "mlp_only_layers": [],
         "tie_word_embeddings": false, "torch_dtype": "bfloat16"}
        """.formatted(VOCAB, HIDDEN, EXPERT_FFN, LAYERS, HEADS, KV_HEADS, HEAD_DIM, experts));
    Random random = new Random(experts);
    List<SafetensorsFiles.Tensor> out = new ArrayList<>();
    out.add(tensor("model.embed_tokens.weight", random, VOCAB, HIDDEN));
    for (int layer = 0; layer < LAYERS; layer++) {
      String p = "model.layers." + layer + ".";
      out.add(tensor(p + "input_layernorm.weight", random, HIDDEN));
      out.add(tensor(p + "self_attn.q_proj.weight", random, HEADS * HEAD_DIM, HIDDEN));
      out.add(tensor(p + "self_attn.k_proj.weight", random, KV_HEADS * HEAD_DIM, HIDDEN));
      out.add(tensor(p + "self_attn.v_proj.weight", random, KV_HEADS * HEAD_DIM, HIDDEN));
      out.add(tensor(p + "self_attn.o_proj.weight", random, HIDDEN, HEADS * HEAD_DIM));
      out.add(tensor(p + "self_attn.q_norm.weight", random, HEAD_DIM));
      out.add(tensor(p + "self_attn.k_norm.weight", random, HEAD_DIM));
      out.add(tensor(p + "post_attention_layernorm.weight", random, HIDDEN));
      out.add(tensor(p + "mlp.gate.weight", random, experts, HIDDEN));
      for (int e = 0; e < experts; e++) {
        if (missingExpert && layer == 1 && e == 3) {
          continue;
        }
        String x = p + "mlp.experts." + e + ".";
        out.add(tensor(x + "gate_proj.weight", random, EXPERT_FFN, HIDDEN));
        out.add(tensor(x + "up_proj.weight", random, EXPERT_FFN, HIDDEN));
        int width = badExpertShape && layer == 1 && e == 3 ? EXPERT_FFN / 2 : EXPERT_FFN;
        out.add(tensor(x + "down_proj.weight", random, HIDDEN, width));
      }
    }
    out.add(tensor("model.norm.weight", random, HIDDEN));
    out.add(tensor("lm_head.weight", random, VOCAB, HIDDEN));
    SafetensorsFiles.write(dir.resolve("model.safetensors"), out, Map.of("format", "pt"));
    return dir;
  }

  private static SafetensorsFiles.Tensor tensor(String name, Random random, long... shape) {
    long elements = 1;
    List<Long> dims = new ArrayList<>();
    for (long d : shape) {
      elements *= d;
      dims.add(d);
    }
    byte[] data = new byte[(int) (elements * 2)];
    random.nextBytes(data);
    return new SafetensorsFiles.Tensor(name, "BF16", dims, data);
  }
}
