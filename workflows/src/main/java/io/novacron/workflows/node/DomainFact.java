package io.novacron.workflows.node;

import java.util.List;

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
 * @param addresses the guest's IP addresses as libvirt found them (DHCP leases of libvirt's own
 *     networks, the guest agent, the node's ARP table), running domains only; null when none
 */
public record DomainFact(String name, String uuid, String state, int vcpus, long memoryMib,
    List<GuestAddress> addresses) {

  /** A fact without addresses. */
  public DomainFact(String name, String uuid, String state, int vcpus, long memoryMib) {
    this(name, uuid, state, vcpus, memoryMib, null);
  }
}
