package io.novacron.checkpoint;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The parameters one TP rank of vLLM's {@code LlamaForCausalLM} holds, named and shaped as
 * {@code model.state_dict()} has them, and where each one's rows come from in a Hugging Face Llama
 * checkpoint. This is what vLLM's {@code --load-format sharded_state} expects in
 * {@code model-rank-{rank}-part-{part}.safetensors}: the loader copies every tensor of the rank's
 * files into the parameter of the same name and fails on a name it lacks or a parameter left unset.
 *
 * <p>Read from vllm-project/vllm (main as stored in December 2026, sharded_state_loader.py at
 * 01ed47b4):
 *
 * <ul>
 *   <li>{@code vllm/model_executor/model_loader/sharded_state_loader.py}: file pattern, rank =
 *       {@code get_tensor_model_parallel_rank()} only (no PP rank in the name, so only PP 1 works),
 *       {@code _filter_subtensors} keeps one name of tensors sharing storage, the smaller key;
 *   <li>{@code vllm/model_executor/models/llama.py}: {@code qkv_proj} merges q, k, v (in that
 *       order), {@code gate_up_proj} merges gate then up; tied {@code lm_head} is
 *       {@code tie_weights(embed_tokens)}, so the filter keeps {@code lm_head.weight} and drops
 *       {@code model.embed_tokens.weight}; the rotary cache is a non-persistent buffer (not saved);
 *   <li>{@code vllm/model_executor/layers/linear.py}: {@code QKVParallelLinear} gives each rank
 *       {@code heads / tp} q heads and {@code max(1, kvHeads / tp)} KV heads, KV head group
 *       {@code rank / (tp / kvHeads)} when TP exceeds the KV heads; {@code RowParallelLinear}
 *       ({@code o_proj}, {@code down_proj}) cuts the input columns, its bias whole on every rank;
 *   <li>{@code vllm/model_executor/layers/vocab_parallel_embedding.py}: the vocabulary is padded
 *       to a multiple of {@value #VOCAB_PADDING} ({@code DEFAULT_VOCAB_PADDING_SIZE}), each rank
 *       holds {@code padded / tp} rows: its original rows {@code [min(r*n, V), min((r+1)*n, V))}
 *       then zeros.
 * </ul>
 *
 * <p>Unquantized Llama only: a quantized model's parameters (scales, packed weights) follow its
 * quantization method's own layout, which is not mapped here.
 */
public final class VllmShardedState {
  /** {@code DEFAULT_VOCAB_PADDING_SIZE} in vLLM's vocab_parallel_embedding.py. */
  public static final int VOCAB_PADDING = 64;

  /** The format name a deploy asks for. */
  public static final String FORMAT = "vllm-sharded-state";

  private VllmShardedState() {}

  /**
   * A run of source rows (or, for {@code dim} 1, columns) copied into a parameter, in order.
   *
   * @param source the checkpoint tensor, or null for zeros (vocabulary padding)
   * @param start first index along the parameter's {@code dim} in the source
   * @param end end (exclusive); for zeros, {@code end - start} is the count
   */
  public record Piece(String source, long start, long end) {
    public long length() {
      return end - start;
    }
  }

  /**
   * One parameter of a rank.
   *
   * @param name the vLLM state_dict name, e.g. {@code model.layers.0.self_attn.qkv_proj.weight}
   * @param shape its shape on this rank
   * @param dim 0 when the pieces stack rows (each piece holds whole rows of its source), 1 when
   *     the single piece is a range of the source's columns (row-parallel weights)
   * @param pieces what fills it, in order
   */
  public record Param(String name, List<Long> shape, int dim, List<Piece> pieces) {
    public Param {
      shape = List.copyOf(shape);
      pieces = List.copyOf(pieces);
    }
  }

  /** {@code model-rank-{rank}-part-0.safetensors}: one part per rank. */
  public static String fileName(int rank) {
    return "model-rank-" + rank + "-part-0.safetensors";
  }

  /** Vocabulary rows after vLLM's padding. */
  public static long paddedVocab(int vocab) {
    return (vocab + VOCAB_PADDING - 1L) / VOCAB_PADDING * VOCAB_PADDING;
  }

  /**
   * Checks that vLLM can run {@code config} at {@code tp}; the same divisions its layers assert.
   *
   * @throws IllegalArgumentException naming the field that does not divide
   */
  public static void check(ModelConfig config, int tp) {
    if (tp < 1) {
      throw new IllegalArgumentException("tp must be at least 1, got " + tp);
    }
    if (config.quantMethod() != null) {
      throw new IllegalArgumentException("format " + FORMAT + " maps unquantized Llama checkpoints only;"
          + " this one is quantized (" + config.quantMethod() + "): use format novacron");
    }
    if (config.heads() % tp != 0) {
      throw new IllegalArgumentException("tp " + tp + " does not divide num_attention_heads "
          + config.heads());
    }
    if (config.kvHeads() % tp != 0 && tp % config.kvHeads() != 0) {
      throw new IllegalArgumentException("tp " + tp + " is neither a divisor nor a multiple of"
          + " num_key_value_heads " + config.kvHeads());
    }
    if (config.intermediateSize() % tp != 0 || config.hiddenSize() % tp != 0) {
      throw new IllegalArgumentException("tp " + tp + " does not divide intermediate_size "
          + config.intermediateSize() + " and hidden_size " + config.hiddenSize());
    }
    if (paddedVocab(config.vocabSize()) % tp != 0) {
      throw new IllegalArgumentException("tp " + tp + " does not divide the padded vocabulary "
          + paddedVocab(config.vocabSize()));
    }
  }

  /**
   * The parameters of TP rank {@code rank}, in model order.
   *
   * @param sources the checkpoint's tensor names; biases are mapped where the checkpoint has them
   */
  public static List<Param> rankParams(ModelConfig config, int tp, int rank, Set<String> sources) {
    check(config, tp);
    if (rank < 0 || rank >= tp) {
      throw new IllegalArgumentException("rank " + rank + " is outside 0-" + (tp - 1));
    }
    long hidden = config.hiddenSize();
    long hd = config.headDim();
    long qRows = config.heads() / tp * hd;
    // QKVParallelLinear: one KV head per rank, replicated, once TP reaches the KV heads.
    int kvPerRank = Math.max(1, config.kvHeads() / tp);
    int kvGroup = tp >= config.kvHeads() ? rank / (tp / config.kvHeads()) : rank;
    long kvRows = kvPerRank * hd;
    long ffn = config.intermediateSize() / tp;
    long qIn = config.heads() * hd / tp;

    List<Param> params = new ArrayList<>();
    if (!config.tieWordEmbeddings()) {
      params.add(vocab("model.embed_tokens.weight", "model.embed_tokens.weight", config, tp, rank));
    }
    for (int layer = 0; layer < config.layers(); layer++) {
      String p = "model.layers." + layer + ".";
      params.add(whole(p + "input_layernorm.weight", hidden));
      for (String kind : List.of("weight", "bias")) {
        String q = p + "self_attn.q_proj." + kind;
        if (!sources.contains(q)) {
          continue;
        }
        List<Piece> pieces = List.of(
            new Piece(q, rank * qRows, (rank + 1) * qRows),
            new Piece(p + "self_attn.k_proj." + kind, kvGroup * kvRows, (kvGroup + 1) * kvRows),
            new Piece(p + "self_attn.v_proj." + kind, kvGroup * kvRows, (kvGroup + 1) * kvRows));
        params.add(new Param(p + "self_attn.qkv_proj." + kind,
            shape(kind, qRows + 2 * kvRows, hidden), 0, pieces));
      }
      params.add(new Param(p + "self_attn.o_proj.weight", List.of(hidden, qIn), 1,
          List.of(new Piece(p + "self_attn.o_proj.weight", rank * qIn, (rank + 1) * qIn))));
      if (sources.contains(p + "self_attn.o_proj.bias")) {
        params.add(whole(p + "self_attn.o_proj.bias", hidden));
      }
      params.add(whole(p + "post_attention_layernorm.weight", hidden));
      for (String kind : List.of("weight", "bias")) {
        String gate = p + "mlp.gate_proj." + kind;
        if (!sources.contains(gate)) {
          continue;
        }
        params.add(new Param(p + "mlp.gate_up_proj." + kind, shape(kind, 2 * ffn, hidden), 0,
            List.of(new Piece(gate, rank * ffn, (rank + 1) * ffn),
                new Piece(p + "mlp.up_proj." + kind, rank * ffn, (rank + 1) * ffn))));
      }
      params.add(new Param(p + "mlp.down_proj.weight", List.of(hidden, ffn), 1,
          List.of(new Piece(p + "mlp.down_proj.weight", rank * ffn, (rank + 1) * ffn))));
      if (sources.contains(p + "mlp.down_proj.bias")) {
        params.add(whole(p + "mlp.down_proj.bias", hidden));
      }
    }
    params.add(whole("model.norm.weight", hidden));
    // Tied: lm_head shares embed_tokens' storage, and _filter_subtensors keeps the smaller key.
    params.add(vocab("lm_head.weight",
        config.tieWordEmbeddings() ? "model.embed_tokens.weight" : "lm_head.weight", config, tp, rank));
    return params;
  }

  private static List<Long> shape(String kind, long rows, long hidden) {
    return kind.equals("bias") ? List.of(rows) : List.of(rows, hidden);
  }

  private static Param whole(String name, long rows) {
    return new Param(name, List.of(rows), 0, List.of(new Piece(name, 0, rows)));
  }

  private static Param vocab(String name, String source, ModelConfig config, int tp, int rank) {
    long vocab = config.vocabSize();
    long perRank = paddedVocab(config.vocabSize()) / tp;
    long start = Math.min(rank * perRank, vocab);
    long end = Math.min((rank + 1) * perRank, vocab);
    List<Piece> pieces = new ArrayList<>();
    if (end > start) {
      pieces.add(new Piece(source, start, end));
    }
    if (perRank > end - start) {
      pieces.add(new Piece(null, 0, perRank - (end - start)));
    }
    return new Param(name, List.of(perRank, (long) config.hiddenSize()), 0, pieces);
  }
}
