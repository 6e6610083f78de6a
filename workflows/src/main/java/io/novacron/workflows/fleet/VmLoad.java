package io.novacron.workflows.fleet;

import io.novacron.workflows.provision.NodeCapacity;
import io.novacron.workflows.provision.ProvisionVmRequest;
import java.util.List;
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
 * @param image the VM's base image, or null for none
 * @param networks the networks of its NICs; never null
 * @param labels the VM's labels; never null
 */
public record VmLoad(String name, String node, String state, int vcpus, long memoryMib, long diskGib,
    String image, List<String> networks, Map<String, String> labels) {

  public VmLoad {
    networks = networks == null ? List.of() : List.copyOf(networks);
    labels = labels == null ? Map.of() : Map.copyOf(labels);
  }

  /** A VM being provisioned, on no node yet: its size, image, networks and labels (its groups). */
  public static VmLoad planned(ProvisionVmRequest request) {
    return new VmLoad(request.name(), null, "planned", request.vcpus(), request.memoryMib(), request.diskGib(),
        request.imageOrNull(), request.networksOrEmpty(), request.labels());
  }

  /** The VM as a placement request for {@code node}: its size, image, networks and labels (its node selectors). */
  public ProvisionVmRequest asRequest(String node) {
    return new ProvisionVmRequest(name, vcpus, memoryMib, diskGib, image, node, networks, null, labels);
  }

  /** {@code node} with this VM's size held on it. */
  public NodeCapacity heldOn(NodeCapacity node) {
    return node.holding(vcpus, memoryMib, diskGib);
  }

  /** {@code node} without this VM's size. */
  public NodeCapacity releasedFrom(NodeCapacity node) {
    return node.releasing(vcpus, memoryMib, diskGib);
  }

  /** Whether the guest runs (only a running guest can be moved by MigrateVm). */
  public boolean running() {
    return "running".equals(state);
  }
}
