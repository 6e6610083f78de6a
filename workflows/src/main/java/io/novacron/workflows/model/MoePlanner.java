package io.novacron.workflows.model;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

/**
 * Chooses attention tensor parallelism (TP), expert parallelism (EP) and pipeline stages (PP) for a
 * mixture-of-experts model. Pure and deterministic, like {@link ParallelismPlanner}.
 *
 * <p>Rules. EP equals TP: each rank of a TP group holds {@code experts / TP} whole experts of every
 * MoE layer, as vLLM does with {@code --enable-expert-parallel} at data-parallel size 1 and SGLang
 * with {@code --ep-size} equal to {@code --tp}. TP divides the attention heads, the routed experts
 * and the shared-expert width, and with FP8 leaves whole 128-wide weight blocks. Unlike the dense planner, TP may span whole nodes: the expert
 * all-to-all crosses nodes under any multi-node layout, and SGLang's DeepSeek-V3 recipe runs TP 16
 * over two nodes. For each TP the fewest stages that fit are taken; among the layouts that fit, the
 * most replicas win, then the fewest stages, then the fewest GPUs per replica.
 */
public final class MoePlanner {
  private MoePlanner() {}

  /** A layout for {@code request}. */
  public static MoePlan plan(MoePlanRequest request) {
    List<GpuNode> nodes = request.nodes().stream().filter(n -> n.gpuCount() > 0).toList();
    List<RejectedAlternative> rejected = new ArrayList<>();
    if (nodes.isEmpty()) {
      rejected.add(new RejectedAlternative(0, 0, "no node has a GPU"));
      return new MoePlan(request, false, 0, 0, 0, 0, 0, 0, 0, new MemoryEstimate(0, 0, 0), 0,
          List.of(), rejected);
    }
    int gpusAvailable = nodes.stream().mapToInt(GpuNode::gpuCount).sum();
    int maxPerNode = nodes.stream().mapToInt(GpuNode::gpuCount).max().orElseThrow();
    long gpuMemory = nodes.stream().mapToLong(GpuNode::memoryBytes).min().orElseThrow();
    long budget = (long) Math.floor(gpuMemory * request.utilizationCap());
    MoeModelShape model = request.model();

    List<PlanAttempt> fitting = new ArrayList<>();
    PlanAttempt closest = null;
    for (int tp : tpDegrees(maxPerNode, nodes.size())) {
      String refusal = tpRefusal(model, tp);
      if (refusal == null && request.dtype() == WeightDtype.FP8) {
        refusal = fp8BlockRefusal(model, tp);
      }
      if (refusal != null) {
        rejected.add(new RejectedAlternative(tp, 0, refusal));
        continue;
      }
      int groups = groups(nodes, tp, maxPerNode);
      if (groups == 0) {
        rejected.add(new RejectedAlternative(tp, 0, "needs " + tp / maxPerNode
            + " whole nodes of " + maxPerNode + " GPUs for one TP/EP group"));
        continue;
      }
      PlanAttempt fit = null;
      PlanAttempt lastMiss = null;
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
      if (closest == null || lastMiss.peak().totalBytes() < closest.peak().totalBytes()) {
        closest = lastMiss;
      }
      rejected.add(new RejectedAlternative(tp, lastMiss.pp(),
          lastMiss.shortfall(budget, gpuMemory, request.utilizationCap())
              + "; PP " + (lastMiss.pp() + 1) + " would need " + tp * (lastMiss.pp() + 1)
              + " GPUs, " + gpusAvailable + " available"));
    }

    Comparator<PlanAttempt> preference = Comparator.comparingInt((PlanAttempt a) -> -a.replicas())
        .thenComparingInt(PlanAttempt::pp).thenComparingInt(PlanAttempt::gpus);
    PlanAttempt best = fitting.stream().min(preference).orElse(null);
    if (best == null) {
      if (closest == null) {
        return new MoePlan(request, false, 0, 0, 0, 0, gpusAvailable, gpuMemory, budget,
            new MemoryEstimate(0, 0, 0), 0, List.of(), RejectedAlternative.inReadingOrder(rejected));
      }
      PlanAttempt c = closest;
      rejected.removeIf(r -> r.tp() == c.tp() && r.pp() == c.pp());
      return new MoePlan(request, false, c.tp(), c.tp(), c.pp(), 0, gpusAvailable, gpuMemory,
          budget, c.peak(), c.peak().totalBytes() - budget, c.stages(), RejectedAlternative.inReadingOrder(rejected));
    }
    for (PlanAttempt other : fitting) {
      if (other != best) {
        rejected.add(new RejectedAlternative(other.tp(), other.pp(), other.whyNotChosen(best, "TP/EP")));
      }
    }
    return new MoePlan(request, true, best.tp(), best.tp(), best.pp(), best.replicas(),
        gpusAvailable, gpuMemory, budget, best.peak(), 0, best.stages(), RejectedAlternative.inReadingOrder(rejected));
  }

  /** Divisors of the largest node's GPU count, then whole multiples of it up to every node. */
  static List<Integer> tpDegrees(int maxPerNode, int nodeCount) {
    TreeSet<Integer> degrees = new TreeSet<>(Comparator.reverseOrder());
    for (int d = 1; d <= maxPerNode; d++) {
      if (maxPerNode % d == 0) {
        degrees.add(d);
      }
    }
    for (int n = 2; n <= nodeCount; n *= 2) {
      degrees.add(maxPerNode * n);
    }
    return List.copyOf(degrees);
  }

  /** Why TP = EP {@code tp} cannot work for the model, or null. */
  static String tpRefusal(MoeModelShape model, int tp) {
    if (model.heads() % tp != 0) {
      return "does not divide " + model.heads() + " attention heads";
    }
    if (model.mla() == null && model.kvHeads() % tp != 0 && tp % model.kvHeads() != 0) {
      return "is neither a divisor nor a multiple of " + model.kvHeads() + " KV heads";
    }
    if (model.moe().routedExperts() % tp != 0) {
      return "does not divide " + model.moe().routedExperts()
          + " routed experts: EP ranks would hold unequal expert counts";
    }
    if (model.moe().sharedExperts() > 0 && model.moe().expertIntermediateSize() % tp != 0) {
      return "does not divide the shared experts' width " + model.moe().expertIntermediateSize();
    }
    return null;
  }

  /**
   * Why block-quantized FP8 weights cannot be split by TP {@code tp}, or null. FP8 checkpoints such
   * as DeepSeek-V3's scale 128 x 128 blocks, and the engines' block-FP8 kernels refuse a TP slice
   * of the shared experts' or dense MLPs' width that is not a whole number of blocks (routed
   * experts stay whole under EP, so their width does not matter here).
   */
  static String fp8BlockRefusal(MoeModelShape model, int tp) {
    int block = 128;
    if (model.moe().sharedExperts() > 0 && (model.moe().expertIntermediateSize() / tp) % block != 0) {
      return "splits the shared experts' width " + model.moe().expertIntermediateSize() + " into "
          + model.moe().expertIntermediateSize() / tp + " per GPU, not a multiple of the 128-wide"
          + " FP8 weight blocks";
    }
    if (model.moe().denseLayers() > 0 && (model.moe().denseIntermediateSize() / tp) % block != 0) {
      return "splits the dense MLP width " + model.moe().denseIntermediateSize() + " into "
          + model.moe().denseIntermediateSize() / tp + " per GPU, not a multiple of the 128-wide"
          + " FP8 weight blocks";
    }
    return null;
  }

  /** TP groups the nodes hold: within a node, or over whole nodes of {@code maxPerNode} GPUs. */
  private static int groups(List<GpuNode> nodes, int tp, int maxPerNode) {
    if (tp <= maxPerNode) {
      return nodes.stream().mapToInt(n -> n.gpuCount() / tp).sum();
    }
    long fullNodes = nodes.stream().filter(n -> n.gpuCount() == maxPerNode).count();
    return (int) (fullNodes / (tp / maxPerNode));
  }

  private static PlanAttempt attempt(MoePlanRequest request, int tp, int pp, int groups) {
    return PlanAttempt.of(request.model().layers(), tp, pp, groups,
        (width, layers, first, last) -> MoeMemoryModel.stage(request, width, layers, first, last));
  }
}
