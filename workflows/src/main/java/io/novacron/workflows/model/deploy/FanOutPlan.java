package io.novacron.workflows.model.deploy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Who sends each file of a deployment to whom, so that N replicas do not make the source send the
 * shard set N times. Pure: the parent run computes it from the node requests, and a replay
 * computes the same plan.
 *
 * <p>Per file, the nodes that need it form a <em>chain</em> in the order of the node requests: the
 * first pulls the file from the source, every later one from the one before it. A node passes a
 * file on only once it has committed it (digest-checked), and the chain is per file: a downstream
 * node starts on file f as soon as its upstream committed f, while the upstream goes on with its
 * next file. Why a chain and not a tree of fan-out 2: with files pipelined, a chain has every node
 * send each file at most once, so no node's uplink (the source's included) carries more than one
 * copy, and the whole fan-out takes about one copy's time plus one file per hop. A binary tree
 * halves the number of hops, but its inner nodes send every file twice, which halves their
 * bandwidth per downstream: on shards of gigabytes, file time dominates hop count.
 *
 * <p>The source node, when it is also a target, reads its own copy from the shard set on its own
 * disk and stays out of the chain: its copy costs no network, and the chain's head pulls from the
 * shard set rather than waiting for that local copy.
 */
public final class FanOutPlan {
  private FanOutPlan() {}

  /**
   * @param sourceNode the node holding the shard set
   * @param nodes the node requests, in the order of {@link DeploymentLayout#nodeRequests}
   * @return each node's part, keyed by node, in the order given
   * @throws IllegalArgumentException when a node is listed twice
   */
  public static Map<String, NodeFanOut> plan(String sourceNode, List<NodeDeployRequest> nodes) {
    Map<String, NodeDeployRequest> byNode = new LinkedHashMap<>();
    for (NodeDeployRequest node : nodes) {
      if (byNode.put(node.node(), node) != null) {
        throw new IllegalArgumentException("nodes: " + node.node() + " is listed twice");
      }
    }
    Map<String, String> lastHolder = new HashMap<>();
    Map<String, Map<String, NodeFanOut.Upstream>> upstreams = new LinkedHashMap<>();
    Map<String, Set<String>> forwarded = new HashMap<>();
    for (NodeDeployRequest node : nodes) {
      Map<String, NodeFanOut.Upstream> mine = new LinkedHashMap<>();
      upstreams.put(node.node(), mine);
      if (node.node().equals(sourceNode)) {
        continue;
      }
      for (ShardFileRef file : node.files()) {
        String previous = lastHolder.put(file.file(), node.node());
        if (previous != null) {
          mine.put(file.file(), new NodeFanOut.Upstream(previous, byNode.get(previous).targetDir()));
          forwarded.computeIfAbsent(previous, n -> new HashSet<>()).add(file.file());
        }
      }
    }
    Map<String, NodeFanOut> plan = new LinkedHashMap<>();
    for (NodeDeployRequest node : nodes) {
      Set<String> passedOn = forwarded.getOrDefault(node.node(), Set.of());
      // In the node's own file order: the order it commits them in.
      List<String> ordered = new ArrayList<>();
      node.files().stream().map(ShardFileRef::file).filter(passedOn::contains).forEach(ordered::add);
      plan.put(node.node(), new NodeFanOut(upstreams.get(node.node()), ordered));
    }
    return plan;
  }

  /** Every file from the source: as a run recorded before fan-out moved them. */
  public static Map<String, NodeFanOut> fromSource(List<NodeDeployRequest> nodes) {
    Map<String, NodeFanOut> plan = new LinkedHashMap<>();
    nodes.forEach(n -> plan.put(n.node(), NodeFanOut.FROM_SOURCE));
    return plan;
  }
}
