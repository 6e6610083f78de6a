package io.novacron.workflows.model;

import java.util.List;

/**
 * The planner's answer. Where nothing fits, {@code fits} is false and the layout fields describe the
 * closest attempt (the smallest per-GPU need within the GPUs available), so that the shortfall can
 * be stated; {@code ranks} is then empty, since nothing should be launched from it.
 *
 * @param request what was asked
 * @param fits whether the layout fits under the utilization cap
 * @param tp tensor-parallel degree (within one node); 0 where no layout could even be attempted
 * @param pp pipeline-parallel degree (stages across nodes)
 * @param replicas independent copies of the model the GPUs hold
 * @param gpusAvailable GPUs across the request's nodes
 * @param gpuMemoryBytes memory of the smallest GPU, which every rank is planned against
 * @param budgetBytesPerGpu {@code gpuMemoryBytes * utilizationCap}
 * @param peakPerGpu the need of the GPUs of the most loaded stage
 * @param shortfallBytesPerGpu how far the peak is over budget; 0 when it fits
 * @param maxSequencesAtContext sequences at full context the most loaded stage's KV-cache room
 *     holds within budget (at least the batch target when it fits)
 * @param stages the pipeline stages, in order
 * @param ranks every rank of every replica, where it runs
 * @param rejected the other layouts considered, and why not
 */
public record ParallelismPlan(
    PlanRequest request,
    boolean fits,
    int tp,
    int pp,
    int replicas,
    int gpusAvailable,
    long gpuMemoryBytes,
    long budgetBytesPerGpu,
    MemoryEstimate peakPerGpu,
    long shortfallBytesPerGpu,
    long maxSequencesAtContext,
    List<StagePlan> stages,
    List<RankPlacement> ranks,
    List<RejectedAlternative> rejected) {

  public ParallelismPlan {
    stages = List.copyOf(stages);
    ranks = List.copyOf(ranks);
    rejected = List.copyOf(rejected);
  }

  /** GPUs one replica spans. */
  public int gpusPerReplica() {
    return tp * pp;
  }

  public double shortfallGib() {
    return shortfallBytesPerGpu / MemoryEstimate.GIB;
  }

  public double budgetGib() {
    return budgetBytesPerGpu / MemoryEstimate.GIB;
  }

  public double gpuMemoryGib() {
    return gpuMemoryBytes / MemoryEstimate.GIB;
  }
}
