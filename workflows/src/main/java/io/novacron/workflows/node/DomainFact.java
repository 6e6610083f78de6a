package io.novacron.workflows.node;

/**
 * One libvirt domain as its node's host agent saw it when it announced the node: running or not,
 * made by NovaCron or not. The control plane reconciles its VM inventory with these.
 *
 * @param name domain name
 * @param uuid domain UUID, as libvirt formats it
 * @param state libvirt's state in lower case, as {@code Domains.stateName} gives it: {@code running},
 *     {@code paused}, {@code shutoff}, {@code crashed}, {@code shutdown}, {@code blocked},
 *     {@code pmsuspended} or {@code nostate}
 * @param vcpus virtual CPUs the domain has
 * @param memoryMib memory the domain has now (libvirt's current memory, not its maximum)
 */
public record DomainFact(String name, String uuid, String state, int vcpus, long memoryMib) {}
