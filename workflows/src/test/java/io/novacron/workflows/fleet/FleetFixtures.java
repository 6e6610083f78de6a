package io.novacron.workflows.fleet;

import io.novacron.workflows.provision.NodeCapacity;
import java.util.List;
import java.util.Map;

/** Nodes and VMs for the fleet planner tests: fresh nodes with the image "tiny", 1 GiB-ish VMs. */
final class FleetFixtures {
  static final long NOW = 1_700_000_000_000L;
  static final int INTERVAL = 10;

  private FleetFixtures() {}

  /** A fresh, uncordoned node holding "tiny", nothing reserved, 100 GiB disk free. */
  static NodeCapacity node(String name, int cpus, long memoryMib) {
    return new NodeCapacity(name, cpus, memoryMib, 100, List.of("tiny"), 0, 0, 0, NOW, INTERVAL);
  }

  /** {@code n} with this much already reserved. */
  static NodeCapacity reserved(NodeCapacity n, int vcpus, long memoryMib) {
    return new NodeCapacity(n.node(), n.cpus(), n.memoryMib(), n.storageFreeGib(), n.images(), vcpus, memoryMib,
        n.reservedDiskGib(), n.lastSeenMillis(), n.announceIntervalSeconds(), n.networks(), n.cordon());
  }

  static NodeCapacity cordoned(NodeCapacity n) {
    return new NodeCapacity(n.node(), n.cpus(), n.memoryMib(), n.storageFreeGib(), n.images(), n.reservedVcpus(),
        n.reservedMemoryMib(), n.reservedDiskGib(), n.lastSeenMillis(), n.announceIntervalSeconds(), n.networks(),
        "maintenance");
  }

  static NodeCapacity stale(NodeCapacity n) {
    return new NodeCapacity(n.node(), n.cpus(), n.memoryMib(), n.storageFreeGib(), n.images(), n.reservedVcpus(),
        n.reservedMemoryMib(), n.reservedDiskGib(), NOW - 3 * INTERVAL * 1000L - 1, n.announceIntervalSeconds(),
        n.networks(), n.cordon());
  }

  static NodeCapacity images(NodeCapacity n, List<String> images) {
    return new NodeCapacity(n.node(), n.cpus(), n.memoryMib(), n.storageFreeGib(), images, n.reservedVcpus(),
        n.reservedMemoryMib(), n.reservedDiskGib(), n.lastSeenMillis(), n.announceIntervalSeconds(), n.networks(),
        n.cordon());
  }

  /** A running VM with image "tiny", 10 GiB disk, no networks or labels. */
  static VmLoad vm(String name, String node, int vcpus, long memoryMib) {
    return new VmLoad(name, node, "running", vcpus, memoryMib, 10, "tiny", List.of(), Map.of());
  }

  static VmLoad labelled(VmLoad vm, Map<String, String> labels) {
    return new VmLoad(vm.name(), vm.node(), vm.state(), vm.vcpus(), vm.memoryMib(), vm.diskGib(), vm.image(),
        vm.networks(), labels);
  }

  static VmLoad inState(VmLoad vm, String state) {
    return new VmLoad(vm.name(), vm.node(), state, vm.vcpus(), vm.memoryMib(), vm.diskGib(), vm.image(),
        vm.networks(), vm.labels());
  }
}
