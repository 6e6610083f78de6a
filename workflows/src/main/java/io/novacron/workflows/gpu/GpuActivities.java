package io.novacron.workflows.gpu;

import io.novacron.workflows.node.GpuInventory;
import io.temporal.activity.ActivityInterface;

/**
 * What the GPU agent on one node does. Stubs are pinned to the node's queue ({@code
 * TaskQueues.gpu(node)}). Shard staging and serving processes join this contract with model
 * deployment.
 */
@ActivityInterface(namePrefix = "Gpu.")
public interface GpuActivities {
  /** The node's GPUs as of now (empty where the node has none). */
  GpuInventory inventory();
}
