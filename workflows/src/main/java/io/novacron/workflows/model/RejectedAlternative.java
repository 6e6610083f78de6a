package io.novacron.workflows.model;

import java.util.Comparator;
import java.util.List;

/**
 * A layout the planner considered and did not choose.
 *
 * @param tp tensor-parallel degree
 * @param pp pipeline-parallel degree; 0 where the TP degree itself was refused
 * @param reason why, in words, with the memory figures where memory decided
 */
public record RejectedAlternative(int tp, int pp, String reason) {
  /** Sorts {@code rejected} in place for reading: widest TP first, then fewest stages; answers it. */
  static List<RejectedAlternative> inReadingOrder(List<RejectedAlternative> rejected) {
    rejected.sort(Comparator.comparingInt(RejectedAlternative::tp).reversed()
        .thenComparingInt(RejectedAlternative::pp));
    return rejected;
  }
}
