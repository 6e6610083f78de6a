package io.novacron.workflows.model.deploy;

import java.util.List;

/**
 * Start one serving process on one node: the node's share of one replica.
 *
 * @param deployment deployment name; processes are tracked (and stopped) by it
 * @param revision the deploying run's id: a node serves one revision of a deployment at a time,
 *     and a run stops only its own revision's processes
 * @param node the node
 * @param replica the replica this process belongs to
 * @param runtime what serves
 * @param commandTemplate the command (see {@link CommandTemplate})
 * @param dir the node's shard directory, relative to its GPU agent's data directory
 * @param ranks the replica's ranks on this node ({@code stage * tp + tpRank})
 * @param gpus the device index of each of those ranks
 * @param tp tensor-parallel degree
 * @param pp pipeline-parallel degree
 * @param nnodes nodes the replica spans
 * @param nodeRank this node's index among them (0 runs the API server)
 * @param masterNode the replica's first node, as {@code {masterAddr}}
 * @param masterPort the replica's rendezvous port
 * @param port HTTP port; 0 lets the agent pick a free one
 * @param requiredBytesPerGpu memory the plan gives each rank's GPU
 * @param model served model name
 * @param format the files' format: what vLLM's {@code --load-format} and the reference loader's
 *     {@code --format} say; null (a request from before the field) for {@link ShardFormat#NOVACRON}
 */
public record LaunchRequest(
    String deployment, String revision, String node, int replica, ServingRuntime runtime, String commandTemplate,
    String dir, List<Integer> ranks, List<Integer> gpus, int tp, int pp, int nnodes, int nodeRank,
    String masterNode, int masterPort, int port, long requiredBytesPerGpu, String model,
    ShardFormat format) {

  public LaunchRequest {
    format = format == null ? ShardFormat.NOVACRON : format;
    ranks = List.copyOf(ranks);
    gpus = List.copyOf(gpus);
  }

  /**
   * Whether the process answers HTTP health checks: the reference loader on every node; vLLM only
   * on the replica's first node (the others run headless and are judged by being alive).
   */
  public boolean servesHealth() {
    return runtime == ServingRuntime.REFERENCE || nodeRank == 0;
  }
}
