package io.novacron.workflows.model.deploy;

import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The parent's side of a {@link FanOutPlan}: a node's "file ready" becomes an "upstream ready" for
 * each node that pulls that file from it. The parent relays rather than the children signalling
 * each other, because only the parent knows when a child has started (a signal to a child not yet
 * started would fail) and ended (one that has ended needs nothing more). Workflow code only.
 */
final class FanOutRelay {
  private record Pending(int child, String file) {}

  private final Map<String, NodeFanOut> plan;
  private final List<String> nodes;
  private final List<NodeDeployWorkflow> children;
  private final List<Promise<NodeDeployResult>> results;
  private final List<Pending> pending = new ArrayList<>();

  /**
   * @param plan each node's part
   * @param nodes the children's nodes, in the order of {@code children} and {@code results}
   * @param children the children's stubs (a signal through one waits until the child started)
   * @param results the children's results (completed once a child has ended)
   */
  FanOutRelay(Map<String, NodeFanOut> plan, List<String> nodes, List<NodeDeployWorkflow> children,
      List<Promise<NodeDeployResult>> results) {
    this.plan = plan;
    this.nodes = nodes;
    this.children = children;
    this.results = results;
  }

  /** {@code node} holds a verified {@code file}: queue the signals to the nodes after it. */
  void ready(String node, String file) {
    for (int i = 0; i < nodes.size(); i++) {
      NodeFanOut.Upstream upstream = plan.get(nodes.get(i)).upstream(file);
      if (upstream != null && upstream.node().equals(node)) {
        pending.add(new Pending(i, file));
      }
    }
  }

  /** Whether signals wait to be sent. */
  boolean hasPending() {
    return !pending.isEmpty();
  }

  /**
   * Sends the queued signals, each on its own workflow thread (it waits until its child started).
   * A child that has ended is skipped, and a failed signal ignored: that child ended meanwhile,
   * and its result says why.
   */
  void deliver() {
    for (Pending p : pending) {
      if (!results.get(p.child()).isCompleted()) {
        NodeDeployWorkflow child = children.get(p.child());
        // A lambda, not a method reference: a signal through a child stub first waits until the
        // child started, and Async runs only a lambda on a thread of its own.
        Async.procedure(() -> child.upstreamReady(p.file())).exceptionally(ignored -> null);
      }
    }
    pending.clear();
  }
}
