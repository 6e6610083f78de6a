package io.novacron.host.libvirt;

import io.novacron.workflows.node.GuestAddress;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.libvirt.Domain;
import org.libvirt.Domain.InterfaceAddressesSource;
import org.libvirt.DomainInterface;
import org.libvirt.LibvirtException;

/**
 * A running guest's IP addresses, from every source libvirt has ({@code virsh domifaddr}): the
 * DHCP leases of libvirt's own networks, the guest agent where the image runs one, and the node's
 * ARP table. A source that knows nothing (no agent, a network libvirt does not serve) is skipped;
 * the first source that names an address for a MAC wins.
 */
public final class GuestAddresses {
  private static final Map<String, Integer> SOURCES = new LinkedHashMap<>();

  static {
    SOURCES.put("lease", InterfaceAddressesSource.VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_LEASE);
    SOURCES.put("agent", InterfaceAddressesSource.VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_AGENT);
    SOURCES.put("arp", InterfaceAddressesSource.VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_ARP);
  }

  private GuestAddresses() {}

  /** The addresses of {@code domain}'s interfaces; empty when no source knows any. */
  public static List<GuestAddress> of(Domain domain) {
    Map<String, GuestAddress> byIp = new LinkedHashMap<>();
    for (Map.Entry<String, Integer> source : SOURCES.entrySet()) {
      Collection<DomainInterface> interfaces;
      try {
        interfaces = domain.interfaceAddresses(source.getValue(), 0);
      } catch (LibvirtException | RuntimeException e) {
        // No agent in the guest, or the source is unsupported by this driver: try the next.
        continue;
      }
      for (GuestAddress address : addresses(interfaces, source.getKey())) {
        byIp.putIfAbsent(address.ip(), address);
      }
    }
    return List.copyOf(byIp.values());
  }

  /**
   * The useful addresses among {@code interfaces}: no loopback, no link-local (fe80::, 169.254/16),
   * and only interfaces with a MAC (the guest agent also reports {@code lo}).
   */
  static List<GuestAddress> addresses(Collection<DomainInterface> interfaces, String source) {
    List<GuestAddress> found = new ArrayList<>();
    if (interfaces == null) {
      return found;
    }
    for (DomainInterface iface : interfaces) {
      if (iface == null || iface.hwAddr == null || iface.hwAddr.isBlank() || iface.addrs == null
          || iface.hwAddr.equals("00:00:00:00:00:00")) {
        continue;
      }
      for (DomainInterface.InterfaceAddress a : iface.addrs) {
        InetAddress ip = a == null ? null : a.address;
        if (ip == null || ip.isLoopbackAddress() || ip.isLinkLocalAddress()) {
          continue;
        }
        String text = ip instanceof Inet6Address ? ip.getHostAddress().replaceAll("%.*$", "") : ip.getHostAddress();
        found.add(new GuestAddress(iface.hwAddr.toLowerCase(Locale.ROOT), text, source));
      }
    }
    return found;
  }
}
