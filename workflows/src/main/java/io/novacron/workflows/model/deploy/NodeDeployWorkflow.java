package io.novacron.workflows.model.deploy;

import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * One node's part of a {@link DeployModelWorkflow}, as a child run: move the node's shard files
 * (skipping the unchanged ones), each from the source or from
 * another node that already holds it (see {@link FanOutPlan}), verify them, check the GPUs, launch and wait until healthy. On
 * failure or cancellation it stops what it launched and aborts open transfers before it ends.
 */
@WorkflowInterface
public interface NodeDeployWorkflow {
  String TYPE = "DeployModelNode";

  /**
   * @param fanOut where each file comes from and which files to announce to the parent once
   *     committed ({@link FanOutPlan}); null (a run recorded before fan-out) for every file from the
   *     source and nothing announced
   */
  @WorkflowMethod(name = TYPE)
  NodeDeployResult deployNode(NodeDeployRequest request, NodeFanOut fanOut);

  /**
   * The upstream node of {@code file} has committed it: this node may pull it from there. Sent by
   * the parent, which relays the upstream's {@link DeployModelWorkflow#fileReady}.
   */
  @SignalMethod
  void upstreamReady(String file);

  /**
   * Another node failed: stop the step in progress, clean up as on cancellation, and fail. The
   * parent signals instead of cancelling the child, so that the child ends as a failure that names
   * the reason rather than as a bare cancellation.
   */
  @SignalMethod
  void abort(String reason);
}
