package io.novacron.gpu;

import io.novacron.workflows.gpu.GpuActivities;
import io.novacron.workflows.node.GpuInventory;

/** The GPU agent's activities. */
public class GpuActivitiesImpl implements GpuActivities {
  private final NvidiaSmiInventory inventory;

  public GpuActivitiesImpl(NvidiaSmiInventory inventory) {
    this.inventory = inventory;
  }

  @Override
  public GpuInventory inventory() {
    return inventory.read();
  }
}
