package io.novacron.workflows.model.deploy;

import io.novacron.workflows.run.RunStatus;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Deploys a model: inspect and plan, shard on the source node, then one {@link NodeDeployWorkflow}
 * per target node. The run then stays in phase {@code serving} for as long as the deployment
 * serves; {@link #stop()} or cancelling the run stops every node's processes. A failure anywhere
 * stops what was launched on every node.
 *
 * <pre>
 * temporal workflow start --task-queue novacron.control --type DeployModel --workflow-id deploy-demo \
 *   --input '{"name":"demo","sourceNode":"gpu-a","checkpoint":"checkpoints/tiny","nodes":["gpu-a","gpu-b"],
 *             "serving":{"runtime":"REFERENCE","port":0},"simulatedGpuMemoryGib":80}'
 * </pre>
 */
@WorkflowInterface
public interface DeployModelWorkflow {
  String TYPE = "DeployModel";

  /**
   * @return the deployment as it served, once stopped
   * @throws io.temporal.failure.ApplicationFailure InvalidSpec, UnknownNode, CheckpointInvalid,
   *     PlanRejected (with the planner's reason), ShardVerifyFailed, GpuUnavailable or ServingFailed,
   *     after stopping what was launched
   */
  @WorkflowMethod(name = TYPE)
  DeployModelResult deploy(DeployModelRequest request);

  /** Phase, node and timeline of the run. */
  @QueryMethod
  RunStatus status();

  /** The deployment as far as it got: null until every node serves. */
  @QueryMethod
  DeployModelResult deployment();

  /**
   * Sent by a node's child run: {@code node} holds a verified copy of {@code file} (committed
   * against the shard set's digest, or found unchanged), so the node after it in the file's chain
   * may pull it from there. Internal to the deployment; see {@link FanOutPlan}.
   */
  @SignalMethod
  void fileReady(String node, String file);

  /** Stops every node's processes and ends the run successfully. */
  @SignalMethod
  void stop();
}
