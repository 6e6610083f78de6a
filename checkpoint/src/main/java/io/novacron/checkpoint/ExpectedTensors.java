package io.novacron.checkpoint;

import java.util.ArrayList;
import java.util.List;

/**
 * The tensors a Llama-style checkpoint must hold for its config, with their shapes: embeddings,
 * final norm, {@code lm_head} (optional when tied, and then checked only if present), and per layer
 * the q/k/v/o projections (GQA: k and v have {@code num_key_value_heads * head_dim} rows), the
 * gate/up/down MLP and the two RMSNorms. A pure function of the config.
 *
 * <p>Four-bit checkpoints (AWQ, GPTQ) store the linear layers packed under other names
 * ({@code qweight}, {@code scales}), so for them only the norms and embeddings are expected; FP8
 * keeps the unquantized shapes and is checked in full. Mixture-of-experts checkpoints
 * (DeepSeek-V3, Qwen3-MoE): attention is not expected (DeepSeek's is MLA), the MLP is, from the
 * MoE fields: the leading dense layers' {@code mlp.gate/up/down_proj} at {@code intermediate_size};
 * in every MoE layer the router {@code mlp.gate.weight} {@code [experts, hidden]}, each routed
 * expert's {@code mlp.experts.E.gate/up_proj} {@code [moe_intermediate_size, hidden]} and
 * {@code down_proj} {@code [hidden, moe_intermediate_size]}, and the shared experts'
 * ({@code n_shared_experts} of them, fused) at {@code n_shared_experts * moe_intermediate_size}.
 * Where the MoE fields cannot be read ({@code spec} null), only norms and embeddings.
 */
final class ExpectedTensors {
  /** One expected tensor. */
  record Expected(String name, List<Long> shape, boolean required) {}

  private ExpectedTensors() {}

  static List<Expected> of(ModelConfig c) {
    return of(c, false);
  }

  /** As {@link #of(ModelConfig)}; {@code moe}: the config names experts (attention not expected). */
  static List<Expected> of(ModelConfig c, boolean moe) {
    return of(c, moe, null);
  }

  /**
   * As {@link #of(ModelConfig, boolean)}, with the MLP of a MoE model expected per expert when
   * {@code spec} (its MoE fields) is given.
   */
  static List<Expected> of(ModelConfig c, boolean moe, io.novacron.workflows.model.MoeSpec spec) {
    long hidden = c.hiddenSize();
    long q = (long) c.heads() * c.headDim();
    long kv = (long) c.kvHeads() * c.headDim();
    long ffn = c.intermediateSize();
    long vocab = c.vocabSize();
    boolean linears = !moe && c.weightDtype() != io.novacron.workflows.model.WeightDtype.INT4;
    List<Expected> out = new ArrayList<>();
    out.add(new Expected("model.embed_tokens.weight", List.of(vocab, hidden), true));
    for (int i = 0; i < c.layers(); i++) {
      String p = "model.layers." + i + ".";
      out.add(new Expected(p + "input_layernorm.weight", List.of(hidden), true));
      out.add(new Expected(p + "post_attention_layernorm.weight", List.of(hidden), true));
      if (linears) {
        out.add(new Expected(p + "self_attn.q_proj.weight", List.of(q, hidden), true));
        out.add(new Expected(p + "self_attn.k_proj.weight", List.of(kv, hidden), true));
        out.add(new Expected(p + "self_attn.v_proj.weight", List.of(kv, hidden), true));
        out.add(new Expected(p + "self_attn.o_proj.weight", List.of(hidden, q), true));
        out.add(new Expected(p + "mlp.gate_proj.weight", List.of(ffn, hidden), true));
        out.add(new Expected(p + "mlp.up_proj.weight", List.of(ffn, hidden), true));
        out.add(new Expected(p + "mlp.down_proj.weight", List.of(hidden, ffn), true));
      }
      if (moe && spec != null && c.weightDtype() != io.novacron.workflows.model.WeightDtype.INT4) {
        expertMlp(out, p, i, hidden, spec);
      }
    }
    out.add(new Expected("model.norm.weight", List.of(hidden), true));
    out.add(new Expected("lm_head.weight", List.of(vocab, hidden), !c.tieWordEmbeddings()));
    return out;
  }

  private static void expertMlp(List<Expected> out, String p, int layer, long hidden,
      io.novacron.workflows.model.MoeSpec spec) {
    if (layer < spec.denseLayers()) {
      mlp(out, p + "mlp.", spec.denseIntermediateSize(), hidden);
      return;
    }
    out.add(new Expected(p + "mlp.gate.weight", List.of((long) spec.routedExperts(), hidden), true));
    for (int e = 0; e < spec.routedExperts(); e++) {
      mlp(out, p + "mlp.experts." + e + ".", spec.expertIntermediateSize(), hidden);
    }
    if (spec.sharedExperts() > 0) {
      mlp(out, p + "mlp.shared_experts.", (long) spec.sharedExperts() * spec.expertIntermediateSize(), hidden);
    }
  }

  private static void mlp(List<Expected> out, String prefix, long width, long hidden) {
    out.add(new Expected(prefix + "gate_proj.weight", List.of(width, hidden), true));
    out.add(new Expected(prefix + "up_proj.weight", List.of(width, hidden), true));
    out.add(new Expected(prefix + "down_proj.weight", List.of(hidden, width), true));
  }
}
