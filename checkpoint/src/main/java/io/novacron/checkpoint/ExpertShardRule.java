package io.novacron.checkpoint;

/**
 * Where a tensor of a mixture-of-experts checkpoint goes, by {@link ExpertShardRules}.
 *
 * @param kind how the tensor is placed
 * @param expert the routed expert's index for {@link Kind#EXPERT}, else -1
 * @param epRank the expert-parallel rank holding the expert whole for {@link Kind#EXPERT}, else -1
 */
public record ExpertShardRule(Kind kind, int expert, int epRank) {

  /** Placement kinds; the last four are the dense rules of {@link SplitKind}. */
  public enum Kind {
    /** A routed expert's tensor, held whole by one EP rank and by no other. */
    EXPERT,
    /** Held whole by every rank: the router, norms, MLA's low-rank down-projections. */
    REPLICATE,
    /** Split along output features (heads, MLP width). */
    COLUMN,
    /** Split along input features. */
    ROW,
    /** Vocabulary-parallel. */
    VOCAB
  }

  static ExpertShardRule of(Kind kind) {
    return new ExpertShardRule(kind, -1, -1);
  }
}
