package io.novacron.workflows.node;

import java.util.List;

/**
 * What a host agent announces about its node, at start and at an interval.
 *
 * @param node node name (also the suffix of its task queue)
 * @param hostname the machine's host name
 * @param cpuModel CPU model as libvirt reports it
 * @param cpus logical CPUs
 * @param memoryMib physical memory
 * @param libvirtUri the URI the agent drives
 * @param libvirtDriver the hypervisor driver ({@code QEMU}, or {@code Test} for libvirt's
 *     simulated {@code test:///default}, which runs no real guests)
 * @param domainType the domain type guests get on this node ({@code kvm}, {@code qemu} for TCG, or
 *     {@code test})
 * @param storageTotalGib capacity of the agent's storage pool
 * @param storageFreeGib free space in that pool
 * @param images names of the base images in the node's image library
 * @param agentVersion version of the host agent
 * @param announceIntervalSeconds how often the agent announces; the node is stale after three
 *     missed announcements
 * @param domains every domain of the agent's libvirt connection, active and defined; null from an
 *     agent older than this field, whose node the control plane then does not reconcile
 * @param collectedAtMillis when the agent read the domains, by its clock: the control plane ignores
 *     what it says about a VM whose record changed after that (a run wrote something newer)
 * @param networks names of the node's active libvirt networks, which VMs can join; null from an
 *     agent older than this field
 */
public record NodeFacts(
    String node,
    String hostname,
    String cpuModel,
    int cpus,
    long memoryMib,
    String libvirtUri,
    String libvirtDriver,
    String domainType,
    long storageTotalGib,
    long storageFreeGib,
    List<String> images,
    String agentVersion,
    int announceIntervalSeconds,
    List<DomainFact> domains,
    long collectedAtMillis,
    List<String> networks) {

  /** Facts without networks (an agent older than that field). */
  public NodeFacts(String node, String hostname, String cpuModel, int cpus, long memoryMib, String libvirtUri,
      String libvirtDriver, String domainType, long storageTotalGib, long storageFreeGib, List<String> images,
      String agentVersion, int announceIntervalSeconds, List<DomainFact> domains, long collectedAtMillis) {
    this(node, hostname, cpuModel, cpus, memoryMib, libvirtUri, libvirtDriver, domainType, storageTotalGib,
        storageFreeGib, images, agentVersion, announceIntervalSeconds, domains, collectedAtMillis, null);
  }
}
