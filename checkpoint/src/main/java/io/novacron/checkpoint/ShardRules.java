package io.novacron.checkpoint;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * Decides, from a Llama tensor's name and shape, which stages hold it and how its TP ranks divide
 * it. The rules are Megatron's, as vLLM loads them:
 *
 * <ul>
 *   <li>{@code q_proj}, {@code k_proj}, {@code v_proj}, {@code gate_proj}, {@code up_proj}: column
 *       parallel, every tensor of the module with more than one row is cut along dimension 0
 *       (weights, biases, per-channel scales);
 *   <li>{@code o_proj}, {@code down_proj}: row parallel, tensors with more than one column are cut
 *       along dimension 1; their biases and per-row scales are replicated;
 *   <li>{@code embed_tokens}, {@code lm_head}: vocabulary parallel along dimension 0;
 *   <li>everything else (norms, scalar scales): replicated.
 * </ul>
 *
 * When TP exceeds the KV heads, {@code k_proj} and {@code v_proj} are cut into one part per KV head
 * and each rank takes the head of its group, so the head is replicated {@code TP / kvHeads} times.
 *
 * <p>Stages: decoder layers go to the stage holding their layer, the embeddings to the first, the
 * final norm and {@code lm_head} to the last. A tied {@code lm_head} is the embedding matrix, so the
 * last stage gets a copy of the embeddings too.
 */
final class ShardRules {
  private ShardRules() {}

  static TensorSplit splitOf(TensorEntry t, ModelConfig config, ShardLayout layout)
      throws CheckpointException {
    return splitOf(t, config, layout, 0);
  }

  /**
   * As {@link #splitOf(TensorEntry, ModelConfig, ShardLayout)} for a mixture-of-experts checkpoint
   * with {@code routedExperts} experts (0: dense), EP = TP: {@link ExpertShardRules} decides first.
   * A routed expert's tensors go whole to its EP rank only; the router and MLA's low-rank
   * down-projections are replicated; MLA's {@code q_b_proj} and {@code kv_b_proj} are cut by heads
   * (dimension 0); the rest (shared experts, dense layers, GQA, norms, embeddings) as dense.
   */
  static TensorSplit splitOf(TensorEntry t, ModelConfig config, ShardLayout layout, int routedExperts)
      throws CheckpointException {
    List<Integer> stages = stagesOf(t, config, layout);
    int tp = layout.tp();
    String module = module(t.name());
    List<Long> shape = t.shape();
    if (tp > 1 && routedExperts > 0) {
      ExpertShardRule rule;
      try {
        rule = ExpertShardRules.ruleOf(t.name(), routedExperts, tp);
      } catch (IllegalArgumentException e) {
        throw new CheckpointException(t.file(), t.name(), e.getMessage());
      }
      if (rule.kind() == ExpertShardRule.Kind.EXPERT) {
        int[] sliceOf = new int[tp];
        java.util.Arrays.fill(sliceOf, TensorSplit.NOT_HELD);
        sliceOf[rule.epRank()] = 0;
        return new TensorSplit(SplitKind.EXPERT, 0, wholeSlice(shape), sliceOf, stages);
      }
      if (rule.kind() == ExpertShardRule.Kind.REPLICATE) {
        return new TensorSplit(SplitKind.REPLICATE, 0, wholeSlice(shape), new int[tp], stages);
      }
      if (endsWithAny(module, "q_b_proj", "kv_b_proj") && shape.size() >= 1 && shape.get(0) > 1) {
        return even(t, SplitKind.COLUMN, 0, tp, tp, stages);
      }
    }
    if (tp > 1) {
      if (endsWithAny(module, "q_proj", "gate_proj", "up_proj") && shape.size() >= 1 && shape.get(0) > 1) {
        return even(t, SplitKind.COLUMN, 0, tp, tp, stages);
      }
      if (endsWithAny(module, "k_proj", "v_proj") && shape.size() >= 1 && shape.get(0) > 1) {
        int parts = Math.min(tp, config.kvHeads());
        return even(t, SplitKind.COLUMN, 0, parts, tp, stages);
      }
      if (endsWithAny(module, "o_proj", "down_proj") && shape.size() >= 2 && shape.get(1) > 1) {
        return even(t, SplitKind.ROW, 1, tp, tp, stages);
      }
      if (endsWithAny(module, "embed_tokens", "lm_head") && shape.size() >= 1 && shape.get(0) > 1) {
        return vocab(shape.get(0), tp, stages);
      }
    }
    return new TensorSplit(SplitKind.REPLICATE, 0, wholeSlice(shape), new int[tp], stages);
  }

  private static List<long[]> wholeSlice(List<Long> shape) {
    long whole = shape.isEmpty() ? 1 : shape.get(0);
    List<long[]> one = new ArrayList<>();
    one.add(new long[] {0, whole});
    return one;
  }

  private static List<Integer> stagesOf(TensorEntry t, ModelConfig config, ShardLayout layout)
      throws CheckpointException {
    OptionalInt layer = t.layer();
    int last = layout.pp() - 1;
    if (layer.isPresent()) {
      if (layer.getAsInt() >= layout.layers()) {
        throw new CheckpointException(t.file(), t.name(), "layer " + layer.getAsInt()
            + " is outside the layout's layers 0-" + (layout.layers() - 1));
      }
      return List.of(layout.stageOf(layer.getAsInt()));
    }
    String module = module(t.name());
    if (module.endsWith("embed_tokens")) {
      return config.tieWordEmbeddings() && last > 0 ? List.of(0, last) : List.of(0);
    }
    if (module.endsWith("lm_head") || module.equals("model.norm") || module.equals("norm")) {
      return List.of(last);
    }
    // Unknown tensors outside the layers (rotary tables and the like) are small: every stage gets one.
    List<Integer> all = new ArrayList<>();
    for (int s = 0; s <= last; s++) {
      all.add(s);
    }
    return all;
  }

  private static TensorSplit even(TensorEntry t, SplitKind kind, int dim, int parts, int tp,
      List<Integer> stages) throws CheckpointException {
    long size = t.shape().get(dim);
    if (size % parts != 0) {
      throw new CheckpointException(t.file(), t.name(), "dimension " + dim + " of shape " + t.shape()
          + " does not split into " + parts + " equal parts for TP " + tp);
    }
    long step = size / parts;
    List<long[]> slices = new ArrayList<>(parts);
    for (int p = 0; p < parts; p++) {
      slices.add(new long[] {p * step, (p + 1) * step});
    }
    int[] sliceOf = new int[tp];
    for (int r = 0; r < tp; r++) {
      // parts == tp: rank r takes part r. parts < tp (KV heads): ranks r take head r / (tp / parts).
      sliceOf[r] = (int) ((long) r * parts / tp);
    }
    return new TensorSplit(kind, dim, slices, sliceOf, stages);
  }

  /** Vocabulary rows in parts of {@code ceil(vocab / tp)}; the last part may be shorter. */
  private static TensorSplit vocab(long rows, int tp, List<Integer> stages) {
    long step = (rows + tp - 1) / tp;
    List<long[]> slices = new ArrayList<>();
    int[] sliceOf = new int[tp];
    for (int r = 0; r < tp; r++) {
      long start = Math.min(rows, r * step);
      long end = Math.min(rows, start + step);
      if (start == end) {
        // Fewer rows than ranks: trailing ranks hold an empty slice, which safetensors allows.
        start = end = rows;
      }
      slices.add(new long[] {start, end});
      sliceOf[r] = r;
    }
    return new TensorSplit(SplitKind.VOCAB, 0, slices, sliceOf, stages);
  }

  /** {@code model.layers.0.self_attn.q_proj} for {@code model.layers.0.self_attn.q_proj.weight}. */
  static String module(String name) {
    int dot = name.lastIndexOf('.');
    return dot < 0 ? name : name.substring(0, dot);
  }

  private static boolean endsWithAny(String module, String... suffixes) {
    for (String suffix : suffixes) {
      if (module.endsWith(suffix)) {
        return true;
      }
    }
    return false;
  }
}
