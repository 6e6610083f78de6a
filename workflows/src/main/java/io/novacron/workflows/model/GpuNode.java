package io.novacron.workflows.model;

import io.novacron.workflows.node.GpuInfo;
import io.novacron.workflows.node.GpuInventory;

/**
 * One node's GPUs as the planner sees them: how many, which model, and the memory of each.
 *
 * @param node node name
 * @param gpuCount GPUs on the node (zero for a node without any)
 * @param gpuModel product name, for display
 * @param memoryMib memory of one GPU; the smallest where a node mixes models, so that no rank is
 *     planned past its device
 */
public record GpuNode(String node, int gpuCount, String gpuModel, long memoryMib) {
  public GpuNode {
    if (gpuCount < 0 || memoryMib < 0) {
      throw new IllegalArgumentException("node " + node + ": GPU count and memory must not be negative");
    }
  }

  /** {@code gpuCount} GPUs of {@code memoryGib} GiB each: how an operator states a cluster. */
  public static GpuNode ofGib(String node, int gpuCount, String gpuModel, double memoryGib) {
    return new GpuNode(node, gpuCount, gpuModel, Math.round(memoryGib * 1024));
  }

  /** What the node's GPU agent announced. */
  public static GpuNode from(GpuInventory inventory) {
    long memory = inventory.gpus().stream().mapToLong(GpuInfo::memoryMib).min().orElse(0);
    String model = inventory.gpus().isEmpty() ? "none" : inventory.gpus().get(0).model();
    return new GpuNode(inventory.node(), inventory.gpus().size(), model, memory);
  }

  /** Memory of one GPU in bytes. */
  public long memoryBytes() {
    return memoryMib * 1024 * 1024;
  }
}
