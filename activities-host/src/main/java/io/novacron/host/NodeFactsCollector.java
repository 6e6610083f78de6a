package io.novacron.host;

import io.novacron.host.libvirt.Domains;
import io.novacron.host.libvirt.GuestAddresses;
import io.novacron.workflows.node.GuestAddress;
import io.novacron.host.libvirt.LibvirtErrors;
import io.novacron.host.libvirt.LibvirtSession;
import io.novacron.host.storage.DiskStore;
import io.novacron.host.storage.ImageLibrary;
import io.novacron.workflows.node.DomainFact;
import io.novacron.workflows.node.NodeFacts;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.libvirt.Domain;
import org.libvirt.DomainInfo;
import org.libvirt.LibvirtException;
import org.libvirt.NodeInfo;

/**
 * Gathers what the host agent announces about its node, from libvirt and the agent's storage:
 * the machine, the storage pool, the images, and every domain libvirt has, whoever made it, so
 * that the control plane's inventory can follow what really runs here.
 */
public final class NodeFactsCollector {
  private static final long GIB = 1024L * 1024 * 1024;
  /** {@code virConnectListAllDomains} with no flags: active and inactive (defined) domains. */
  private static final int ALL_DOMAINS = 0;

  private final LibvirtSession libvirt;
  private final DiskStore disks;
  private final ImageLibrary images;
  private final NodeIdentity identity;
  private final String cpuModel;
  private final String agentVersion;
  private final int announceIntervalSeconds;
  private final Clock clock;

  public NodeFactsCollector(
      LibvirtSession libvirt, DiskStore disks, ImageLibrary images, NodeIdentity identity,
      String cpuModel, String agentVersion, int announceIntervalSeconds, Clock clock) {
    this.libvirt = libvirt;
    this.disks = disks;
    this.images = images;
    this.identity = identity;
    this.cpuModel = cpuModel;
    this.agentVersion = agentVersion;
    this.announceIntervalSeconds = announceIntervalSeconds;
    this.clock = clock;
  }

  public NodeFacts collect() {
    try {
      NodeInfo info = libvirt.call(c -> c.nodeInfo());
      String hostname = libvirt.call(c -> c.getHostName());
      String driver = libvirt.call(c -> c.getType());
      long[] storage = disks.capacity();
      // Read before the list: a record that changed after this instant is newer than what we say.
      long collectedAt = clock.millis();
      List<DomainFact> domains = domains();
      return new NodeFacts(identity.node(), hostname, cpuModel == null ? info.model : cpuModel,
          info.cpus, info.memory / 1024, libvirt.uri(), driver, identity.domainType(),
          storage[0] / GIB, storage[1] / GIB, images.names(), agentVersion, announceIntervalSeconds,
          domains, collectedAt, networks());
    } catch (LibvirtException e) {
      throw new IllegalStateException("cannot read node facts from " + libvirt.uri() + ": " + e.getMessage(), e);
    }
  }

  /** The node's active libvirt networks, sorted: the ones a VM's NIC can join now. */
  List<String> networks() throws LibvirtException {
    List<String> names = new ArrayList<>(List.of(libvirt.call(c -> c.listNetworks())));
    names.sort(null);
    return names;
  }

  /** Every domain of the connection; one that is undefined between the list and its read is left out. */
  List<DomainFact> domains() throws LibvirtException {
    Domain[] listed = libvirt.call(c -> c.listAllDomains(ALL_DOMAINS));
    List<DomainFact> facts = new ArrayList<>(listed.length);
    for (Domain domain : listed) {
      try {
        read(domain).ifPresent(facts::add);
      } finally {
        freeQuietly(domain);
      }
    }
    return facts;
  }

  /** The domain as a fact; empty when it no longer exists (undefined, or a transient guest that stopped). */
  static Optional<DomainFact> read(Domain domain) throws LibvirtException {
    try {
      DomainInfo info = domain.getInfo();
      String state = Domains.stateName(info.state);
      List<GuestAddress> addresses = "running".equals(state) ? GuestAddresses.of(domain) : List.of();
      return Optional.of(new DomainFact(domain.getName(), domain.getUUIDString(), state,
          info.nrVirtCpu, info.memory / 1024, addresses.isEmpty() ? null : addresses));
    } catch (LibvirtException e) {
      if (LibvirtErrors.isNoDomain(e)) {
        return Optional.empty();
      }
      throw e;
    }
  }

  private static void freeQuietly(Domain domain) {
    try {
      domain.free();
    } catch (LibvirtException ignored) {
      // Only the handle is released; a failure here leaks one reference until the connection closes.
    }
  }
}
