package io.novacron.host.migrate;

import io.novacron.host.libvirt.Domains;
import io.novacron.host.libvirt.LibvirtErrors;
import io.novacron.host.libvirt.LibvirtNative;
import io.novacron.host.libvirt.LibvirtStates;
import io.novacron.host.storage.DiskStore;
import io.novacron.workflows.migrate.DomainProbe;
import io.novacron.workflows.migrate.VmFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.libvirt.Domain;
import org.libvirt.LibvirtException;

/**
 * What this node holds of a VM right now: its domain's state and reason, the job libvirt runs for
 * it, and its files. Read fresh on every call; nothing is remembered, because a migration decides
 * from it whether a copy may be removed.
 */
final class CopyInspector {
  private final String node;
  private final Domains domains;
  private final DiskStore disks;
  private final LibvirtNative natives;
  private final Path states;

  /**
   * @param states the directory of warm mode's saved states ({@code <vm>.save})
   */
  CopyInspector(String node, Domains domains, DiskStore disks, LibvirtNative natives, Path states) {
    this.node = node;
    this.domains = domains;
    this.disks = disks;
    this.natives = natives;
    this.states = states;
  }

  DomainProbe probe(String vmName) throws LibvirtException {
    VmFiles files = files(vmName);
    Domain domain = domains.lookup(vmName);
    if (domain == null) {
      return new DomainProbe(node, vmName, null, DomainProbe.ABSENT, "", null, files);
    }
    String state;
    String reason;
    try {
      int[] stateAndReason = natives.state(vmName);
      state = LibvirtStates.state(stateAndReason[0]);
      reason = LibvirtStates.reason(stateAndReason[0], stateAndReason[1]);
    } catch (IOException e) {
      // The reason needs a connection of its own, which libvirt's test:///default driver does not
      // share with ours (each connection is a fresh simulated host): the state alone then, from
      // our connection. A domain that left meanwhile is absent.
      if (domains.lookup(vmName) == null) {
        return new DomainProbe(node, vmName, null, DomainProbe.ABSENT, "", null, files);
      }
      state = Domains.state(domain);
      reason = "";
    }
    // libvirt keeps no job for a domain that is not active, and refuses to be asked.
    String job = domain.isActive() == 0 ? null : job(domain, state, reason);
    return new DomainProbe(node, vmName, domain.getUUIDString(), state, reason, job, files);
  }

  /** The VM's file set as the transfer engine and libvirt left it in this agent's directories. */
  VmFiles files(String vmName) {
    return new VmFiles(Files.exists(disks.diskPath(vmName)), Files.exists(disks.overlayPath(vmName)),
        Files.exists(savedState(vmName)), Files.exists(domains.consoleLog(vmName)));
  }

  Path savedState(String vmName) {
    return states.resolve(vmName + ".save");
  }

  /**
   * The domain job libvirt runs, by its operation. On the target of a running migration libvirt
   * refuses the job's statistics ("available only on the source host"); the domain's state then
   * tells it: paused for the incoming migration, or running in post-copy. A target domain in that
   * state whose statistics answer has no job: it is what a failed migration left.
   */
  private static String job(Domain domain, String state, String reason) throws LibvirtException {
    try {
      JobStats stats = JobStats.of(domain.getJobStats(0));
      return stats.active() ? LibvirtStates.operation(Math.max(0, stats.get("operation"))) : null;
    } catch (LibvirtException e) {
      boolean incoming = ("paused".equals(state) && "migration".equals(reason))
          || ("running".equals(state) && "postcopy".equals(reason));
      if (incoming) {
        return DomainProbe.MIGRATION_IN;
      }
      if (LibvirtErrors.isUnsupported(e)) {
        return null; // a driver without jobs (test:///default) runs none
      }
      throw e;
    }
  }
}
