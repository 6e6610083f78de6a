package io.novacron.workflows.model.deploy;

import io.novacron.workflows.model.GpuNode;
import io.novacron.workflows.model.KvCacheDtype;
import io.novacron.workflows.model.ParallelismPlan;
import io.novacron.workflows.model.PlanRequest;
import io.novacron.workflows.model.RankPlacement;
import io.novacron.workflows.model.WeightDtype;
import io.novacron.workflows.node.GpuInventory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Pure decisions of a deployment: what to plan on, and which files and processes each node gets.
 * The workflow calls these; they are unit-tested without Temporal.
 */
public final class DeploymentLayout {
  /** Rendezvous port of replica {@code r}: {@value} + r (vLLM's master port). */
  public static final int MASTER_PORT_BASE = 29500;
  /** Where a deployment's files live on every node, relative to the GPU agent's data directory. */
  public static final String MODELS_DIR = "models/";

  private DeploymentLayout() {}

  /**
   * The planner's input. Nodes plan as their agents announced them; a node without GPUs plans as
   * one simulated GPU of {@code simulatedGpuMemoryGib} when the request allows it (reference loader
   * only), and not at all otherwise.
   */
  public static PlanRequest planRequest(DeployModelRequest request, CheckpointSummary checkpoint,
      List<GpuInventory> inventories) {
    List<GpuNode> nodes = new ArrayList<>();
    for (GpuInventory inventory : inventories) {
      GpuNode node = GpuNode.from(inventory);
      if (node.gpuCount() == 0 && request.simulatedGpuMemoryGib() > 0) {
        node = GpuNode.ofGib(inventory.node(), 1, "simulated (no GPU)", request.simulatedGpuMemoryGib());
      }
      nodes.add(node);
    }
    WeightDtype dtype = request.dtype() == null || request.dtype().isBlank()
        ? WeightDtype.parse(checkpoint.weightDtype()) : WeightDtype.parse(request.dtype());
    return new PlanRequest(checkpoint.shape(), dtype, KvCacheDtype.BF16, nodes, request.contextOrDefault(),
        request.batchOrDefault(), PlanRequest.DEFAULT_UTILIZATION_CAP);
  }

  /** Nodes that announced no GPU. */
  public static List<String> nodesWithoutGpus(List<GpuInventory> inventories) {
    return inventories.stream().filter(i -> i.gpus().isEmpty()).map(GpuInventory::node).toList();
  }

  /**
   * One request per node that holds ranks, in the order the plan first uses them: the files of its
   * ranks plus those every node needs, and one launch per replica with ranks there.
   */
  public static List<NodeDeployRequest> nodeRequests(DeployModelRequest request, String revision,
      ParallelismPlan plan, ShardSet shards) {
    if (!plan.fits()) {
      throw new IllegalArgumentException("the plan does not fit; nothing to deploy");
    }
    Map<String, List<LaunchRequest>> launches = new LinkedHashMap<>();
    Map<Integer, List<RankPlacement>> byReplica = new LinkedHashMap<>();
    for (RankPlacement rank : plan.ranks()) {
      byReplica.computeIfAbsent(rank.replica(), r -> new ArrayList<>()).add(rank);
    }
    ServingSettings serving = request.serving();
    long need = plan.peakPerGpu().totalBytes();
    for (var entry : byReplica.entrySet()) {
      int replica = entry.getKey();
      List<String> replicaNodes = new ArrayList<>(new LinkedHashSet<>(
          entry.getValue().stream().map(RankPlacement::node).toList()));
      for (int nodeRank = 0; nodeRank < replicaNodes.size(); nodeRank++) {
        String node = replicaNodes.get(nodeRank);
        List<RankPlacement> here = entry.getValue().stream().filter(r -> r.node().equals(node)).toList();
        List<LaunchRequest> onNode = launches.computeIfAbsent(node, n -> new ArrayList<>());
        // Several replicas on one node each need a port of their own: port, port + 1, ...
        int port = serving.port() == 0 ? 0 : serving.port() + onNode.size();
        onNode.add(new LaunchRequest(
            request.name(), revision, node, replica, serving.runtime(), serving.commandTemplate(),
            MODELS_DIR + request.name(), here.stream().map(RankPlacement::rank).toList(),
            here.stream().map(RankPlacement::gpu).toList(), plan.tp(), plan.pp(), replicaNodes.size(),
            nodeRank, replicaNodes.get(0), MASTER_PORT_BASE + replica, port, need,
            request.name(), request.formatOrDefault()));
      }
    }
    List<NodeDeployRequest> out = new ArrayList<>();
    for (var entry : launches.entrySet()) {
      LinkedHashSet<Integer> ranks = new LinkedHashSet<>();
      entry.getValue().forEach(l -> ranks.addAll(l.ranks()));
      List<ShardFileRef> files = shards.files().stream()
          .filter(f -> f.rank() == ShardFileRef.EVERY_RANK || ranks.contains(f.rank()))
          .toList();
      out.add(new NodeDeployRequest(request.name(), revision, request.sourceNode(), shards.dir(),
          entry.getKey(), MODELS_DIR + request.name(), files, entry.getValue(),
          serving.readyTimeoutSeconds(), request.transferBandwidthCapBytesPerSec(), request.formatOrDefault()));
    }
    return out;
  }

  /**
   * Why files in {@code format} cannot serve {@code plan}, if they cannot. vLLM's
   * {@code ShardedStateLoader} opens {@code model-rank-{tp rank}-part-*.safetensors}: the pipeline
   * stage is not in the name, so with PP > 1 every stage's rank would open the same file while each
   * stage's model holds other layers ("Missing keys" or an unknown name on load).
   */
  public static Optional<String> formatRefusal(ShardFormat format, ParallelismPlan plan) {
    if (format == ShardFormat.VLLM_SHARDED_STATE && plan.pp() > 1) {
      return Optional.of("format " + format.label() + " cannot hold this plan (TP " + plan.tp()
          + " x PP " + plan.pp() + "): vLLM's sharded_state loader reads files by tensor-parallel rank only,"
          + " so it loads PP 1 plans alone; use format " + ShardFormat.NOVACRON.label()
          + ", or GPUs where one pipeline stage holds the model");
    }
    return Optional.empty();
  }

  /** The planner's reason for refusing, for the run record and the failure. */
  public static String refusal(ParallelismPlan plan) {
    StringBuilder why = new StringBuilder("no layout fits");
    if (plan.gpusAvailable() == 0) {
      why.append(": no target node has a GPU (for the reference loader without GPUs set simulatedGpuMemoryGib)");
    } else {
      why.append(String.format(java.util.Locale.ROOT,
          " on %d GPU(s) of %.1f GiB: the closest layout (TP %d, PP %d) needs %.1f GiB per GPU, %.1f GiB over the %.1f GiB budget",
          plan.gpusAvailable(), plan.gpuMemoryGib(), plan.tp(), plan.pp(), plan.peakPerGpu().totalGib(),
          plan.shortfallGib(), plan.budgetGib()));
    }
    plan.rejected().stream().findFirst().ifPresent(r -> why.append("; e.g. TP ").append(r.tp())
        .append(" PP ").append(r.pp()).append(": ").append(r.reason()));
    return why.toString();
  }
}
