package io.novacron.checkpoint;

import io.novacron.workflows.model.LayerRange;
import io.novacron.workflows.model.LayerSplit;
import io.novacron.workflows.model.ParallelismPlan;
import io.novacron.workflows.model.StagePlan;
import java.util.List;

/**
 * How to cut a checkpoint: the tensor-parallel degree and each pipeline stage's layers. Rank
 * {@code stage * tp + tpRank} owns one shard file. Replicas share the same files.
 *
 * @param tp tensor-parallel degree
 * @param stages each stage's layers, in order, together covering every layer once
 */
public record ShardLayout(int tp, List<LayerRange> stages) {
  public ShardLayout {
    if (tp < 1) {
      throw new IllegalArgumentException("TP must be at least 1, got " + tp);
    }
    stages = List.copyOf(stages);
    if (stages.isEmpty()) {
      throw new IllegalArgumentException("a layout needs at least one stage");
    }
    int next = 0;
    for (LayerRange range : stages) {
      if (range.start() != next) {
        throw new IllegalArgumentException("stage layers must follow each other from 0: " + stages);
      }
      next = range.end();
    }
  }

  /** The layout of a plan that fits. */
  public static ShardLayout of(ParallelismPlan plan) {
    if (!plan.fits()) {
      throw new IllegalArgumentException("the plan does not fit; there is nothing to shard for it");
    }
    return new ShardLayout(plan.tp(), plan.stages().stream().map(StagePlan::layers).toList());
  }

  /** TP {@code tp} and {@code pp} stages splitting {@code layers} as the planner does. */
  public static ShardLayout of(int tp, int pp, int layers) {
    return new ShardLayout(tp, LayerSplit.split(layers, pp));
  }

  public int pp() {
    return stages.size();
  }

  /** Ranks, one shard file each. */
  public int ranks() {
    return tp * stages.size();
  }

  /** Layers the layout covers. */
  public int layers() {
    return stages.get(stages.size() - 1).end();
  }

  /** The stage holding {@code layer}. */
  public int stageOf(int layer) {
    for (int s = 0; s < stages.size(); s++) {
      if (stages.get(s).contains(layer)) {
        return s;
      }
    }
    throw new IllegalArgumentException("layer " + layer + " is outside layers 0-" + (layers() - 1));
  }
}
