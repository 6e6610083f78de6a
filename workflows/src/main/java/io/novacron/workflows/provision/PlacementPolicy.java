package io.novacron.workflows.provision;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Chooses a node for a VM. Pure, so that it is unit-tested without a database; the placement
 * activity calls it inside the transaction that holds the node rows locked, which is what keeps two
 * concurrent requests from overbooking one node.
 *
 * <p>Rules: the node must be fresh, hold the requested image, offer every requested network, and
 * have the memory and disk free
 * (neither is overcommitted); vCPUs may be overcommitted up to {@link #VCPU_OVERCOMMIT} per
 * logical CPU. Among the nodes that fit, the one with the most free memory wins (spread), then the
 * name, so the choice is deterministic.
 */
public final class PlacementPolicy {
  /** vCPUs allowed per logical CPU, as Nova's default cpu_allocation_ratio. */
  public static final int VCPU_OVERCOMMIT = 4;

  private PlacementPolicy() {}

  /** The outcome: a node, or why each node was refused. */
  public record Decision(Optional<String> node, List<String> refusals) {
    public String explain() {
      return refusals.isEmpty() ? "no node has announced itself" : String.join("; ", refusals);
    }
  }

  public static Decision choose(ProvisionVmRequest request, List<NodeCapacity> nodes, long nowMillis) {
    List<String> refusals = new ArrayList<>();
    List<NodeCapacity> fitting = new ArrayList<>();
    for (NodeCapacity node : nodes) {
      String refusal = refusal(request, node, nowMillis);
      if (refusal == null) {
        fitting.add(node);
      } else {
        refusals.add(node.node() + ": " + refusal);
      }
    }
    Optional<String> chosen =
        fitting.stream()
            .min(Comparator.comparingLong((NodeCapacity n) -> -(n.memoryMib() - n.reservedMemoryMib()))
                .thenComparing(NodeCapacity::node))
            .map(NodeCapacity::node);
    return new Decision(chosen, refusals);
  }

  /** Why {@code node} cannot take the request, or null when it can. */
  public static String refusal(ProvisionVmRequest request, NodeCapacity node, long nowMillis) {
    if (node.isStale(nowMillis)) {
      return "stale (no announcement for over " + NodeCapacity.STALE_AFTER_MISSED_ANNOUNCEMENTS
          + " intervals)";
    }
    String image = request.imageOrNull();
    if (image != null && (node.images() == null || !node.images().contains(image))) {
      return "has no image '" + image + "'";
    }
    List<String> offered = node.networks() == null ? List.of() : node.networks();
    for (String network : request.networksOrEmpty()) {
      if (!offered.contains(network)) {
        return "has no network '" + network + "'" + (offered.isEmpty() ? "" : " (it offers " + String.join(", ", offered) + ")");
      }
    }
    long freeMemory = node.memoryMib() - node.reservedMemoryMib();
    if (request.memoryMib() > freeMemory) {
      return "needs " + request.memoryMib() + " MiB memory, " + freeMemory + " MiB free";
    }
    long freeVcpus = (long) node.cpus() * VCPU_OVERCOMMIT - node.reservedVcpus();
    if (request.vcpus() > freeVcpus) {
      return "needs " + request.vcpus() + " vCPUs, " + freeVcpus + " free";
    }
    long freeDisk = node.storageFreeGib() - node.reservedDiskGib();
    if (request.diskGib() > freeDisk) {
      return "needs " + request.diskGib() + " GiB disk, " + freeDisk + " GiB free";
    }
    return null;
  }
}
