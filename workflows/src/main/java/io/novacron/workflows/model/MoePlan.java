package io.novacron.workflows.model;

import java.util.List;

/**
 * The MoE planner's answer. As in {@link ParallelismPlan}, where nothing fits {@code fits} is false
 * and the layout fields describe the closest attempt, so that the shortfall can be stated.
 *
 * @param request what was asked
 * @param fits whether the layout fits under the utilization cap
 * @param tp attention tensor-parallel degree; 0 where nothing could be attempted
 * @param ep expert-parallel degree: the routed experts are spread whole over this many ranks
 * @param pp pipeline stages
 * @param replicas independent copies of the model the GPUs hold
 * @param gpusAvailable GPUs across the request's nodes
 * @param gpuMemoryBytes memory of the smallest GPU
 * @param budgetBytesPerGpu {@code gpuMemoryBytes * utilizationCap}
 * @param peakPerGpu the need of the GPUs of the most loaded stage
 * @param shortfallBytesPerGpu how far the peak is over budget; 0 when it fits
 * @param stages the pipeline stages, in order
 * @param rejected the other layouts considered, and why not (their {@code tp} is the TP = EP degree)
 */
public record MoePlan(
    MoePlanRequest request,
    boolean fits,
    int tp,
    int ep,
    int pp,
    int replicas,
    int gpusAvailable,
    long gpuMemoryBytes,
    long budgetBytesPerGpu,
    MemoryEstimate peakPerGpu,
    long shortfallBytesPerGpu,
    List<StagePlan> stages,
    List<RejectedAlternative> rejected) {

  public MoePlan {
    stages = List.copyOf(stages);
    rejected = List.copyOf(rejected);
  }

  /** GPUs one replica spans. */
  public int gpusPerReplica() {
    return tp * pp;
  }

  /** Routed experts each GPU holds per MoE layer. */
  public int expertsPerGpu() {
    return ep == 0 ? 0 : MoeMemoryModel.expertsPerRank(request.model(), ep);
  }
}
