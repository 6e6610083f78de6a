package io.novacron.host;

import io.novacron.host.libvirt.LibvirtSession;
import io.novacron.host.storage.DiskStore;
import io.novacron.host.storage.ImageLibrary;
import io.novacron.workflows.node.NodeFacts;
import org.libvirt.LibvirtException;
import org.libvirt.NodeInfo;

/** Gathers what the host agent announces about its node, from libvirt and the agent's storage. */
public final class NodeFactsCollector {
  private static final long GIB = 1024L * 1024 * 1024;

  private final LibvirtSession libvirt;
  private final DiskStore disks;
  private final ImageLibrary images;
  private final NodeIdentity identity;
  private final String cpuModel;
  private final String agentVersion;
  private final int announceIntervalSeconds;

  public NodeFactsCollector(
      LibvirtSession libvirt, DiskStore disks, ImageLibrary images, NodeIdentity identity,
      String cpuModel, String agentVersion, int announceIntervalSeconds) {
    this.libvirt = libvirt;
    this.disks = disks;
    this.images = images;
    this.identity = identity;
    this.cpuModel = cpuModel;
    this.agentVersion = agentVersion;
    this.announceIntervalSeconds = announceIntervalSeconds;
  }

  public NodeFacts collect() {
    try {
      NodeInfo info = libvirt.call(c -> c.nodeInfo());
      String hostname = libvirt.call(c -> c.getHostName());
      String driver = libvirt.call(c -> c.getType());
      long[] storage = disks.capacity();
      return new NodeFacts(identity.node(), hostname, cpuModel == null ? info.model : cpuModel,
          info.cpus, info.memory / 1024, libvirt.uri(), driver, identity.domainType(),
          storage[0] / GIB, storage[1] / GIB, images.names(), agentVersion, announceIntervalSeconds);
    } catch (LibvirtException e) {
      throw new IllegalStateException("cannot read node facts from " + libvirt.uri() + ": " + e.getMessage(), e);
    }
  }
}
