package io.novacron.workflows.provision;

import io.novacron.workflows.fleet.GroupRules;
import io.novacron.workflows.fleet.TargetChooser;
import io.novacron.workflows.fleet.VmLoad;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Chooses a node for a VM. Pure, so that it is unit-tested without a database; the placement
 * activity calls it inside the transaction that holds the node rows locked, which is what keeps two
 * concurrent requests from overbooking one node.
 *
 * <p>Rules: the node must be fresh, not cordoned, match the VM's node selectors ({@link NodeSelector}), hold the requested image (or the image is registered, so the
 * node can pull it and verify it by digest), offer every requested network, and have the memory
 * and disk free (neither is overcommitted); vCPUs may be overcommitted up to
 * {@link #VCPU_OVERCOMMIT} per logical CPU; and the VM's groups ({@link GroupRules}) must allow
 * it. Among the nodes that fit ({@link TargetChooser}): the fewest soft group rules broken, then
 * one that holds the image (no pull), then the most free memory (spread), then the name, so the
 * choice is deterministic.
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

  /** A choice among nodes that must already hold the image (no image is registered). */
  public static Decision choose(ProvisionVmRequest request, List<NodeCapacity> nodes, long nowMillis) {
    return choose(request, nodes, nowMillis, Set.of());
  }

  /**
   * @param registeredImages the names of the registered images: a node that lacks one of them
   *     may still be chosen, after the nodes that hold it
   */
  public static Decision choose(ProvisionVmRequest request, List<NodeCapacity> nodes, long nowMillis,
      Set<String> registeredImages) {
    return choose(request, nodes, nowMillis, registeredImages, List.of());
  }

  /**
   * The choice with the VM groups of its labels honoured ({@link GroupRules}): the same rules and
   * ranking a migration target or a drain's move gets ({@link TargetChooser}), so a VM is never
   * provisioned where it could not be moved to.
   *
   * @param fleet every VM on its node, for the group rules
   */
  public static Decision choose(ProvisionVmRequest request, List<NodeCapacity> nodes, long nowMillis,
      Set<String> registeredImages, Collection<VmLoad> fleet) {
    TargetChooser.Choice choice = TargetChooser.choose(VmLoad.planned(request), nodes, fleet, Set.of(), nowMillis,
        registeredImages);
    return new Decision(choice.node(), choice.refusals());
  }

  /** Why {@code node} cannot take the request, or null when it can (no image registered). */
  public static String refusal(ProvisionVmRequest request, NodeCapacity node, long nowMillis) {
    return refusal(request, node, nowMillis, Set.of());
  }

  /** Whether the node announces the image (true for a VM without one). */
  public static boolean holds(NodeCapacity node, String image) {
    return image == null || (node.images() != null && node.images().contains(image));
  }

  /** Why {@code node} cannot take the request, or null when it can. */
  public static String refusal(ProvisionVmRequest request, NodeCapacity node, long nowMillis,
      Set<String> registeredImages) {
    if (node.isStale(nowMillis)) {
      return "stale (no announcement for over " + NodeCapacity.STALE_AFTER_MISSED_ANNOUNCEMENTS
          + " intervals)";
    }
    if (node.cordoned()) {
      return "cordoned (" + node.cordon() + "); it takes no new VMs until it is uncordoned";
    }
    String selector = NodeSelector.refusal(request.labels(), node.labels());
    if (selector != null) {
      return selector;
    }
    String image = request.imageOrNull();
    if (!holds(node, image) && !registeredImages.contains(image)) {
      return "has no image '" + image + "' (and it is not registered, so it cannot be pulled)";
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
