package io.novacron.workflows.host;

import java.util.Locale;
import java.util.UUID;

/**
 * A VM's virtio network interface: the libvirt network it joins and the MAC address NovaCron gave
 * it. The MAC is chosen once, stored with the VM and carried in its domain XML, so the guest keeps
 * it (and with it its DHCP lease and IP) across reboots and migrations.
 *
 * @param network name of a libvirt network on the VM's node
 * @param mac {@code 52:54:xx:xx:xx:xx}, lower case
 */
public record Nic(String network, String mac) {
  /**
   * A NIC on {@code network} whose MAC takes 32 bits of {@code random}: {@code 52:54} is QEMU's
   * locally administered unicast prefix, so the address never collides with a real vendor's, and
   * 32 random bits make a clash within one L2 segment of thousands of guests improbable (the
   * probability for 10,000 guests is about 1%; a clash is seen as a DHCP conflict, not silently).
   */
  public static Nic assign(String network, UUID random) {
    long bits = random.getLeastSignificantBits();
    return new Nic(network, String.format(Locale.ROOT, "52:54:%02x:%02x:%02x:%02x",
        (bits >>> 24) & 0xff, (bits >>> 16) & 0xff, (bits >>> 8) & 0xff, bits & 0xff));
  }
}
