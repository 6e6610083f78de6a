package io.novacron.workflows.fleet;

import java.util.Map;

/**
 * A VM as the fleet planners (drain, rebalance) see it: where it is, whether it runs, what it
 * holds, and its labels (a per-VM drain policy lives in the label {@value DrainPolicy#LABEL}).
 *
 * @param name the VM
 * @param node the node the inventory has it on
 * @param state libvirt's state in lower case ({@code running}, {@code shutoff}, ...)
 * @param vcpus virtual CPUs
 * @param memoryMib memory
 * @param diskGib disk
 * @param labels the VM's labels; never null
 */
public record VmLoad(String name, String node, String state, int vcpus, long memoryMib, long diskGib,
    Map<String, String> labels) {

  public VmLoad {
    labels = labels == null ? Map.of() : Map.copyOf(labels);
  }

  /** Whether the guest runs (only a running guest can be moved by MigrateVm). */
  public boolean running() {
    return "running".equals(state);
  }
}
