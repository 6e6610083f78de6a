package io.novacron.workflows.model;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

/**
 * Chooses tensor (TP) and pipeline (PP) parallelism for a model on a set of GPU nodes. Pure and
 * deterministic, so that a workflow may call it and a plan-only run answers at once.
 *
 * <p>Rules. TP stays within one node (its all-reduces run twice per layer and need NVLink), divides
 * the attention heads and the MLP width, and is a divisor or a multiple of the KV heads. PP spans
 * nodes. For each TP the planner takes the fewest stages that fit under the utilization cap. Among
 * the layouts that fit, the most replicas win (throughput), then the fewest stages (pipeline bubbles
 * and inter-node hops cost latency), then the fewest GPUs per replica. Every other layout considered
 * is reported with its reason.
 */
public final class ParallelismPlanner {
  private ParallelismPlanner() {}

  /** A layout for {@code request}; see {@link ParallelismPlan} for the case where none fits. */
  public static ParallelismPlan plan(PlanRequest request) {
    List<GpuNode> nodes = request.nodes().stream().filter(n -> n.gpuCount() > 0).toList();
    List<RejectedAlternative> rejected = new ArrayList<>();
    if (nodes.isEmpty()) {
      rejected.add(new RejectedAlternative(0, 0, "no node has a GPU"));
      return new ParallelismPlan(request, false, 0, 0, 0, 0, 0, 0, new MemoryEstimate(0, 0, 0), 0, 0,
          List.of(), List.of(), rejected);
    }
    int gpusAvailable = nodes.stream().mapToInt(GpuNode::gpuCount).sum();
    int maxPerNode = nodes.stream().mapToInt(GpuNode::gpuCount).max().orElseThrow();
    long gpuMemory = nodes.stream().mapToLong(GpuNode::memoryBytes).min().orElseThrow();
    long budget = (long) Math.floor(gpuMemory * request.utilizationCap());
    ModelShape model = request.model();

    List<PlanAttempt> fitting = new ArrayList<>();
    PlanAttempt closest = null;
    for (int tp : tpDegrees(maxPerNode)) {
      String refusal = tpRefusal(model, tp, maxPerNode);
      if (refusal != null) {
        rejected.add(new RejectedAlternative(tp, 0, refusal));
        continue;
      }
      int groups = nodes.stream().mapToInt(n -> n.gpuCount() / tp).sum();
      PlanAttempt lastMiss = null;
      PlanAttempt fit = null;
      for (int pp = 1; pp <= Math.min(groups, model.layers()); pp++) {
        PlanAttempt attempt = attempt(request, tp, pp, groups);
        if (attempt.peak().totalBytes() <= budget) {
          fit = attempt;
          break;
        }
        lastMiss = attempt;
      }
      if (fit != null) {
        fitting.add(fit);
        continue;
      }
      if (lastMiss == null) {
        rejected.add(new RejectedAlternative(tp, 0, "no node has " + tp + " GPUs for one tensor-parallel group"));
        continue;
      }
      if (closest == null || lastMiss.peak().totalBytes() < closest.peak().totalBytes()) {
        closest = lastMiss;
      }
      rejected.add(new RejectedAlternative(tp, lastMiss.pp(),
          lastMiss.shortfall(budget, gpuMemory, request.utilizationCap())
              + morePipelineRefusal(lastMiss, groups, gpusAvailable, model.layers())));
    }

    Comparator<PlanAttempt> preference = Comparator.comparingInt((PlanAttempt a) -> -a.replicas())
        .thenComparingInt(PlanAttempt::pp).thenComparingInt(PlanAttempt::gpus);
    PlanAttempt best = fitting.stream().min(preference).orElse(null);
    if (best == null) {
      if (closest == null) {
        return new ParallelismPlan(request, false, 0, 0, 0, gpusAvailable, gpuMemory, budget,
            new MemoryEstimate(0, 0, 0), 0, 0, List.of(), List.of(), rejected);
      }
      return new ParallelismPlan(request, false, closest.tp(), closest.pp(), 0, gpusAvailable,
          gpuMemory, budget, closest.peak(), closest.peak().totalBytes() - budget, 0,
          closest.stages(), List.of(), RejectedAlternative.inReadingOrder(without(rejected, closest)));
    }
    for (PlanAttempt other : fitting) {
      if (other != best) {
        rejected.add(new RejectedAlternative(other.tp(), other.pp(), other.whyNotChosen(best, "TP")));
      }
    }
    RejectedAlternative.inReadingOrder(rejected);
    return new ParallelismPlan(request, true, best.tp(), best.pp(), best.replicas(), gpusAvailable,
        gpuMemory, budget, best.peak(), 0, maxSequences(request, best, budget), best.stages(),
        placeRanks(nodes, best), rejected);
  }

  /** Divisors of the largest node's GPU count, largest first, plus the first degree that spans nodes. */
  static List<Integer> tpDegrees(int maxPerNode) {
    TreeSet<Integer> degrees = new TreeSet<>(Comparator.reverseOrder());
    for (int d = 1; d <= maxPerNode; d++) {
      if (maxPerNode % d == 0) {
        degrees.add(d);
      }
    }
    degrees.add(maxPerNode * 2);
    return List.copyOf(degrees);
  }

  /** Why TP {@code tp} cannot work for the model, or null. */
  static String tpRefusal(ModelShape model, int tp, int maxPerNode) {
    if (tp > maxPerNode) {
      return "would span nodes: tensor parallelism all-reduces twice per layer and stays within"
          + " a node's " + maxPerNode + " GPUs; pipeline stages cross nodes instead";
    }
    if (model.heads() % tp != 0) {
      return "does not divide " + model.heads() + " attention heads";
    }
    if (model.kvHeads() % tp != 0 && tp % model.kvHeads() != 0) {
      return "is neither a divisor nor a multiple of " + model.kvHeads() + " KV heads";
    }
    if (model.intermediateSize() % tp != 0) {
      return "does not divide the MLP width " + model.intermediateSize();
    }
    return null;
  }

  private static PlanAttempt attempt(PlanRequest request, int tp, int pp, int groups) {
    return PlanAttempt.of(request.model().layers(), tp, pp, groups,
        (width, layers, first, last) -> MemoryModel.stage(request, width, layers, first, last));
  }

  private static String morePipelineRefusal(PlanAttempt a, int groups, int gpusAvailable, int layers) {
    if (a.pp() >= layers) {
      return "; every layer already has its own stage";
    }
    return "; PP " + (a.pp() + 1) + " would need " + a.tp() * (a.pp() + 1) + " GPUs in groups of "
        + a.tp() + ", " + groups * a.tp() + " of " + gpusAvailable + " available";
  }

  private static List<RejectedAlternative> without(List<RejectedAlternative> rejected, PlanAttempt a) {
    rejected.removeIf(r -> r.tp() == a.tp() && r.pp() == a.pp());
    return rejected;
  }

  /** Sequences at full context the tightest stage has KV room for, within budget. */
  private static long maxSequences(PlanRequest request, PlanAttempt a, long budget) {
    long fewest = Long.MAX_VALUE;
    for (StagePlan s : a.stages()) {
      MemoryEstimate m = s.perGpu();
      long perSequence = m.kvCacheBytes() / request.batchTarget();
      if (perSequence > 0) {
        long room = budget - m.weightsBytes() - m.runtimeBytes();
        fewest = Math.min(fewest, room / perSequence);
      }
    }
    return fewest == Long.MAX_VALUE ? 0 : fewest;
  }

  /**
   * Replica r, stage s takes TP group {@code r * pp + s}, groups being numbered node by node: a
   * replica's stages sit on consecutive groups, so a stage crosses nodes only where a node is full.
   */
  private static List<RankPlacement> placeRanks(List<GpuNode> nodes, PlanAttempt a) {
    List<String> groupNode = new ArrayList<>();
    List<Integer> groupFirstGpu = new ArrayList<>();
    for (GpuNode node : nodes) {
      for (int g = 0; g < node.gpuCount() / a.tp(); g++) {
        groupNode.add(node.node());
        groupFirstGpu.add(g * a.tp());
      }
    }
    List<RankPlacement> ranks = new ArrayList<>();
    for (int r = 0; r < a.replicas(); r++) {
      for (int s = 0; s < a.pp(); s++) {
        int group = r * a.pp() + s;
        for (int t = 0; t < a.tp(); t++) {
          ranks.add(new RankPlacement(r, s * a.tp() + t, s, t, groupNode.get(group),
              groupFirstGpu.get(group) + t));
        }
      }
    }
    return ranks;
  }
}
