package io.novacron.host.migrate;

import io.novacron.host.ActivitySteps;
import io.novacron.host.libvirt.Domains;
import io.novacron.host.libvirt.LibvirtNative;
import io.novacron.host.libvirt.LibvirtSession;
import io.novacron.host.storage.DiskStore;
import io.novacron.host.storage.ImageLibrary;
import io.novacron.host.NodeIdentity;
import io.temporal.activity.Activity;
import java.nio.file.Path;
import java.time.Clock;
import org.libvirt.Domain;
import org.libvirt.LibvirtException;

/**
 * What both halves of a migration work with on this node: its libvirt, domains, pool, images and
 * directories, and the few steps both take.
 *
 * @param transport the URI another node's daemon reaches this node's daemon at, peer to peer
 *     (e.g. {@code qemu+tls://10.77.0.2/system}), and whether this node's outgoing migrations use TLS
 * @param states where warm mode's saved memory states are written and arrive; inside the agent's
 *     data directory, which is all the transfer engine serves
 */
record MigrationNode(LibvirtSession libvirt, Domains domains, DiskStore disks, ImageLibrary images,
    NodeIdentity identity, Path consoles, Path states, LibvirtNative natives, MigrationTransport transport,
    Clock clock, CopyInspector inspector) {

  /** The VM's saved state file here (warm mode). */
  Path stateFile(String vmName) {
    return states.resolve(vmName + ".save");
  }

  /**
   * Waits, heartbeating, while libvirt runs a job of {@code operation} for the domain.
   *
   * @return whether there was one
   */
  boolean awaitJob(Domain domain, long operation) throws LibvirtException, InterruptedException {
    boolean waited = false;
    while (domain.isActive() != 0) {
      JobStats job = JobStats.of(domain.getJobStats(0));
      if (!job.active() || job.get("operation") != operation) {
        return waited;
      }
      waited = true;
      ActivitySteps.keepAlive(Activity.getExecutionContext(), null);
      Thread.sleep(250);
    }
    return waited;
  }
}
