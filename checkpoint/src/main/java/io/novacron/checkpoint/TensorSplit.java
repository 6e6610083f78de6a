package io.novacron.checkpoint;

import java.util.List;

/**
 * Where one tensor's bytes go.
 *
 * @param kind how it is divided
 * @param dim the dimension cut (0 for {@link SplitKind#REPLICATE}, whose one slice is the whole)
 * @param slices {@code [start, end)} ranges along {@code dim}, in order, tiling it
 * @param sliceOfTpRank for each TP rank, the slice it holds; several ranks share one where KV heads
 *     are replicated; {@value #NOT_HELD} where the rank holds nothing of it ({@link SplitKind#EXPERT})
 * @param stages the pipeline stages holding the tensor
 */
record TensorSplit(SplitKind kind, int dim, List<long[]> slices, int[] sliceOfTpRank,
    List<Integer> stages) {
  static final int NOT_HELD = -1;
}
