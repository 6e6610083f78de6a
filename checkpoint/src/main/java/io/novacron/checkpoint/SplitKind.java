package io.novacron.checkpoint;

/** How a tensor is divided among the TP ranks of a stage. */
public enum SplitKind {
  /** Every rank holds the whole tensor (norms, scalar scales, row-parallel biases). */
  REPLICATE,
  /** Output features split evenly: q, k, v, gate, up (Megatron's column parallelism). */
  COLUMN,
  /** Input features split evenly: o, down (row parallelism; partial sums are all-reduced). */
  ROW,
  /** Vocabulary rows split, the last part possibly shorter: embeddings and {@code lm_head}. */
  VOCAB,
  /**
   * Held whole by one TP rank of its stage and by no other: a routed expert under expert
   * parallelism with EP = TP ({@link ExpertShardRules}).
   */
  EXPERT
}
