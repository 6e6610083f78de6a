package io.novacron.workflows.node;

/**
 * An IP address of a guest's network interface.
 *
 * @param mac the interface's MAC address, lower case
 * @param ip the address, without its prefix length
 * @param source where libvirt found it: {@code lease}, {@code agent} or {@code arp}
 */
public record GuestAddress(String mac, String ip, String source) {}
