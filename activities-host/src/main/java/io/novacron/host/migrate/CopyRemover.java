package io.novacron.host.migrate;

import io.novacron.host.libvirt.Domains;
import io.novacron.host.storage.DiskStore;
import io.novacron.workflows.FailureTypes;
import io.novacron.workflows.migrate.DomainProbe;
import io.novacron.workflows.migrate.RemoveCopyRequest;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.nio.file.Files;
import org.libvirt.Domain;
import org.libvirt.LibvirtException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes this node's copy of a VM once a migration has decided it is not the one to keep. The
 * workflow decides from both nodes; this class checks its half again at the moment of removal:
 * a copy that runs here or has a libvirt job is never removed unless an operator said so.
 */
final class CopyRemover {
  private static final Logger log = LoggerFactory.getLogger(CopyRemover.class);

  private final String node;
  private final Domains domains;
  private final DiskStore disks;
  private final CopyInspector inspector;

  CopyRemover(String node, Domains domains, DiskStore disks, CopyInspector inspector) {
    this.node = node;
    this.domains = domains;
    this.disks = disks;
    this.inspector = inspector;
  }

  /**
   * @return what is left afterwards (absent, no files), for the workflow's record
   * @throws ApplicationFailure DomainConflict (another UUID), CopyRunning or CopyBusy (not forced)
   */
  DomainProbe remove(RemoveCopyRequest request) throws LibvirtException, IOException {
    String vm = request.vmName();
    DomainProbe before = inspector.probe(vm);
    if (!before.absent() && !before.uuid().equalsIgnoreCase(request.uuid())) {
      throw ApplicationFailure.newNonRetryableFailure("node " + node + " has another domain named '"
          + vm + "' (UUID " + before.uuid() + "); nothing removed", FailureTypes.DOMAIN_CONFLICT);
    }
    if (!request.force() && before.busy()) {
      throw ApplicationFailure.newNonRetryableFailure("libvirt runs a " + before.job() + " job for "
          + vm + " on " + node + "; nothing removed", FailureTypes.COPY_BUSY, before);
    }
    if (!request.force() && before.running()) {
      throw ApplicationFailure.newNonRetryableFailure(vm + " runs on " + node + " ("
          + before.describe() + "); nothing removed", FailureTypes.COPY_RUNNING, before);
    }
    Domain domain = domains.lookup(vm);
    if (domain != null) {
      if (request.force() && before.busy()) {
        abortQuietly(domain);
      }
      Domains.destroyIfActive(domain);
      // A transient domain (what an incoming migration left) is gone with its process.
      if (domains.lookup(vm) != null) {
        domain.undefine();
      }
    }
    disks.delete(vm);
    Files.deleteIfExists(inspector.savedState(vm));
    Files.deleteIfExists(domains.consoleLog(vm));
    log.info("removed the copy of {} on {} (was {}, files {})", vm, node, before.describe(),
        before.files() == null ? "none" : before.files().names());
    return inspector.probe(vm);
  }

  private void abortQuietly(Domain domain) {
    try {
      domain.abortJob();
    } catch (LibvirtException e) {
      log.info("abort before a forced removal: {}", e.getMessage());
    }
  }
}
