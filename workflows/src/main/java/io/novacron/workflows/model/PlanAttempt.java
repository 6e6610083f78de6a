package io.novacron.workflows.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One layout a planner tried (dense {@link ParallelismPlanner} or {@link MoePlanner}): TP x PP,
 * how many replicas the GPUs hold, the stages and the stage that needs the most memory per GPU.
 */
record PlanAttempt(int tp, int pp, int replicas, List<StagePlan> stages, MemoryEstimate peak) {

  /** Memory per GPU of one pipeline stage at a tensor-parallel width. */
  @FunctionalInterface
  interface StageMemory {
    MemoryEstimate of(int tp, LayerRange layers, boolean first, boolean last);
  }

  int gpus() {
    return tp * pp;
  }

  /** {@code layers} split into {@code pp} stages, each sized by {@code memory}; {@code groups} TP groups fit. */
  static PlanAttempt of(int layers, int tp, int pp, int groups, StageMemory memory) {
    List<LayerRange> ranges = LayerSplit.split(layers, pp);
    List<StagePlan> stages = new ArrayList<>(pp);
    MemoryEstimate peak = null;
    for (int s = 0; s < pp; s++) {
      boolean first = s == 0;
      boolean last = s == pp - 1;
      MemoryEstimate need = memory.of(tp, ranges.get(s), first, last);
      stages.add(new StagePlan(s, ranges.get(s), first, last, need));
      if (peak == null || need.totalBytes() > peak.totalBytes()) {
        peak = need;
      }
    }
    return new PlanAttempt(tp, pp, groups / pp, List.copyOf(stages), peak);
  }

  /** Why the peak stage does not fit {@code budget} bytes ({@code cap} of {@code gpuMemory}). */
  String shortfall(long budget, long gpuMemory, double cap) {
    MemoryEstimate p = peak;
    return String.format(Locale.ROOT,
        "needs %.1f GiB per GPU (weights %.1f + KV cache %.1f + runtime %.1f), %.1f GiB allowed"
            + " (%.0f%% of %.1f GiB): short %.1f GiB per GPU",
        p.totalGib(), p.weightsGib(), p.kvCacheGib(), p.runtimeGib(),
        budget / MemoryEstimate.GIB, cap * 100, gpuMemory / MemoryEstimate.GIB,
        (p.totalBytes() - budget) / MemoryEstimate.GIB);
  }

  /**
   * Why {@code this} fitting layout lost to {@code best}, in words: fewer replicas, more pipeline
   * stages for as many replicas, or more GPUs per replica. {@code width} names the split the
   * planner varies ("TP", or "TP/EP" for mixture-of-experts).
   */
  String whyNotChosen(PlanAttempt best, String width) {
    String chosen = width + " " + best.tp() + " x PP " + best.pp();
    if (replicas() < best.replicas()) {
      return "fits, but " + gpus() + " GPUs per replica give " + replicas()
          + " replica(s) where " + chosen + " gives " + best.replicas();
    }
    if (pp() > best.pp()) {
      return "fits, but " + pp() + " pipeline stages add bubbles and inter-stage hops that "
          + chosen + " avoids with as many replicas";
    }
    return "fits, but takes " + gpus() + " GPUs per replica where " + chosen + " takes "
        + best.gpus();
  }
}
