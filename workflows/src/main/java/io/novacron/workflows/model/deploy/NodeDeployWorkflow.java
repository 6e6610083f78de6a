package io.novacron.workflows.model.deploy;

import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * One node's part of a {@link DeployModelWorkflow}, as a child run: move the node's shard files
 * (skipping the unchanged ones), verify them, check the GPUs, launch and wait until healthy. On
 * failure or cancellation it stops what it launched and aborts open transfers before it ends.
 */
@WorkflowInterface
public interface NodeDeployWorkflow {
  String TYPE = "DeployModelNode";

  @WorkflowMethod(name = TYPE)
  NodeDeployResult deployNode(NodeDeployRequest request);

  /**
   * Another node failed: stop the step in progress, clean up as on cancellation, and fail. The
   * parent signals instead of cancelling the child, so that the child ends as a failure that names
   * the reason rather than as a bare cancellation.
   */
  @SignalMethod
  void abort(String reason);
}
