package io.novacron.workflows.node;

import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * One long-lived workflow per node ({@link #workflowId(String)}): the node's agents announce
 * themselves to it with signal-with-start, and it records each announcement. Agents need nothing
 * but Temporal to register; the control plane may be down while they announce, and the workflow
 * records what they said once it is back.
 */
@WorkflowInterface
public interface NodeWorkflow {
  /** Workflow id of the node's registration workflow. */
  static String workflowId(String node) {
    return "node-" + node;
  }

  /** Runs until the node is retired; continues as new to keep its history short. */
  @WorkflowMethod(name = "Node")
  void run(String node);

  /** Host agent facts. Only the newest pending announcement is recorded. */
  @SignalMethod
  void announceHost(NodeFacts facts);

  /** GPU agent inventory. Only the newest pending announcement is recorded. */
  @SignalMethod
  void announceGpus(GpuInventory inventory);
}
