package io.novacron.host.migrate;

import io.novacron.host.ActivitySteps;
import io.novacron.host.NodeIdentity;
import io.novacron.host.libvirt.Domains;
import io.novacron.host.libvirt.LibvirtNative;
import io.novacron.host.libvirt.LibvirtSession;
import io.novacron.host.storage.DiskStore;
import io.novacron.host.storage.ImageLibrary;
import io.novacron.host.storage.QemuImg;
import io.novacron.workflows.FailureTypes;
import io.novacron.workflows.host.DomainStatus;
import io.novacron.workflows.migrate.DomainProbe;
import io.novacron.workflows.migrate.FrozenDisk;
import io.novacron.workflows.migrate.LiveMigrationRequest;
import io.novacron.workflows.migrate.MigrationOutcome;
import io.novacron.workflows.migrate.MigrationSource;
import io.novacron.workflows.migrate.SavedState;
import io.temporal.activity.Activity;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.libvirt.Domain;
import org.libvirt.DomainInfo.DomainState;
import org.libvirt.LibvirtException;
import org.libvirt.StorageVolInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The source's half of a migration: describe the VM, run (or re-attach to) the live migration and
 * abort or force it, shut the guest down (cold), save it (warm), freeze its disk under an overlay
 * (live pre-copy), and bring it back when a move is undone.
 */
final class OutgoingMigration {
  private static final Logger log = LoggerFactory.getLogger(OutgoingMigration.class);
  /** {@code VIR_DOMAIN_XML_MIGRATABLE}: the XML without what only this host's daemon added. */
  private static final int XML_MIGRATABLE = 1 << 3;

  private final LibvirtSession libvirt;
  private final Domains domains;
  private final NodeIdentity identity;
  private final MigrationNode node;

  OutgoingMigration(MigrationNode node) {
    this.node = node;
    this.libvirt = node.libvirt();
    this.domains = node.domains();
    this.identity = node.identity();
  }

  MigrationSource describeSource(String vmName) {
    return ActivitySteps.call(() -> {
      Domain domain = domains.lookup(vmName);
      if (domain == null || domain.getInfo().state != DomainState.VIR_DOMAIN_RUNNING) {
        throw ApplicationFailure.newNonRetryableFailure(
            vmName + " does not run on node " + identity.node() + " ("
                + (domain == null ? "absent" : Domains.state(domain)) + "): only a running VM migrates live",
            FailureTypes.DOMAIN_NOT_RUNNING);
      }
      String xml = domain.getXMLDesc(XML_MIGRATABLE);
      String disk = DomainXmlRewriter.diskSource(xml, "vda");
      StorageVolInfo volume = disk == null ? null : libvirt.call(c -> c.storageVolLookupByPath(disk)).getInfo();
      String cpu = DomainXmlRewriter.hostCpu(libvirt.call(c -> c.getCapabilities()));
      return new MigrationSource(vmName, domain.getUUIDString(), Domains.state(domain), xml, cpu, disk,
          volume == null ? 0 : volume.capacity, domain.getInfo().maxMem * 1024,
          volume == null ? null : volume.allocation, disk == null ? null : standsAlone(disk));
    });
  }

  /**
   * Whether the image's header names no backing file, from {@code qemu-img info}; null where it
   * cannot be read (the workflow then pre-copies, as it always did).
   */
  private static Boolean standsAlone(String disk) {
    try {
      return QemuImg.backingFile(disk) == null;
    } catch (IOException e) {
      log.warn("cannot read the backing chain of {}: {}", disk, e.getMessage());
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /**
   * The first attempt starts the migration. A later one (Temporal retries the activity after its
   * agent died or its heartbeat was lost) never starts another: it re-attaches to the job libvirt
   * still runs, reports a switch-over that happened meanwhile as done, and fails (non-retryable)
   * when the job ended without one, so that the workflow settles the move from both nodes.
   */
  MigrationOutcome migrateLive(LiveMigrationRequest request) {
    var context = Activity.getExecutionContext();
    String vm = request.vmName();
    // The monitor's heartbeats carry the progress the dashboard shows, and their 10 s timeout is
    // what notices a monitor that hangs: no beats beside it.
    return ActivitySteps.callReportingItsOwnHeartbeats(() -> {
      Domain domain = domains.lookup(vm);
      boolean retry = context.getInfo().getAttempt() > 1;
      if (domain == null && retry) {
        log.info("{} left node {} while no agent watched its migration: switched over", vm, identity.node());
        return new MigrationOutcome(-1, null, false);
      }
      if (domain == null) {
        throw ApplicationFailure.newNonRetryableFailure("no domain named '" + vm + "' on node "
            + identity.node(), FailureTypes.DOMAIN_NOT_RUNNING);
      }
      LiveMigrationMonitor monitor =
          new LiveMigrationMonitor(domain, request, node.transport(), node.clock(), context, node.natives());
      JobStats job = JobStats.of(domain.getJobStats(0));
      if (job.active() && JobStats.MIGRATION_OUT == job.get("operation")) {
        if (!retry) {
          throw ApplicationFailure.newNonRetryableFailure("another migration of " + vm + " runs on node "
              + identity.node() + " already (not started by this run); nothing was started",
              FailureTypes.MIGRATION_FAILED);
        }
        return monitor.reattach(job.get("time_elapsed"));
      }
      if (retry) {
        DomainProbe probe = node.inspector().probe(vm);
        if ("shutoff".equals(probe.state()) && "migrated".equals(probe.reason())) {
          return new MigrationOutcome(-1, null, false);
        }
        throw ApplicationFailure.newNonRetryableFailure("the migration of " + vm + " ended before the"
            + " switch-over while no agent watched it (or was never started); it still runs on "
            + identity.node() + " (" + probe.describe() + ") and no second migration was started",
            FailureTypes.MIGRATION_FAILED);
      }
      var refusal = node.transport().refusal(request.targetUri());
      if (refusal.isPresent()) {
        throw ApplicationFailure.newNonRetryableFailure(refusal.get() + "; nothing was started",
            FailureTypes.MIGRATION_FAILED);
      }
      return monitor.run();
    });
  }

  String abortMigration(String vmName) {
    try {
      DomainProbe probe = node.inspector().probe(vmName);
      if (!DomainProbe.MIGRATION_OUT.equals(probe.job())) {
        return "no outgoing migration of " + vmName + " runs on " + identity.node() + " (" + probe.describe() + ")";
      }
      if (probe.postCopy()) {
        return "the migration of " + vmName + " is in post-copy: it cannot be aborted, it completes";
      }
      domains.require(vmName).abortJob();
      log.info("aborted the migration of {} on request", vmName);
      return "aborted the migration of " + vmName;
    } catch (LibvirtException e) {
      // The job ended between the probe and the abort: nothing left to abort.
      log.info("abort of {}'s migration: {}", vmName, e.getMessage());
      return "abort of " + vmName + "'s migration: " + e.getMessage();
    }
  }

  void forceComplete(String vmName) {
    ActivitySteps.run(() -> {
      Domain domain = domains.lookup(vmName);
      if (domain != null && JobStats.of(domain.getJobStats(0)).active()
          && domain.getInfo().state == DomainState.VIR_DOMAIN_RUNNING) {
        // Post-copy is always tried: libvirt knows whether the job was started with POSTCOPY and
        // refuses otherwise, and its job outlives a restart of this agent, which memory would not.
        String how = LiveMigrationMonitor.forceCompletion(domain, vmName, true, node.natives());
        log.info("forced the migration of {} to complete ({})", vmName, how);
      }
    });
  }

  DomainStatus shutdownForMove(String vmName, int graceSeconds) {
    return ActivitySteps.call(() -> {
      Domain domain = domains.require(vmName);
      if (domain.isActive() != 0) {
        try {
          domain.shutdown();
        } catch (LibvirtException e) {
          log.info("shutdown request to {} refused: {}", vmName, e.getMessage());
        }
        long deadline = node.clock().millis() + graceSeconds * 1000L;
        while (domain.isActive() != 0 && node.clock().millis() < deadline) {
          ActivitySteps.keepAlive(Activity.getExecutionContext(), Domains.state(domain));
          Thread.sleep(500);
        }
        if (domain.isActive() != 0) {
          log.info("{} did not shut down within {} s: powering it off", vmName, graceSeconds);
          Domains.destroyIfActive(domain);
        }
      }
      return domains.status(domain);
    });
  }

  FrozenDisk freezeDisk(String vmName) {
    return ActivitySteps.call(() -> {
      Domain domain = domains.lookup(vmName);
      if (domain == null || domain.isActive() == 0) {
        throw ApplicationFailure.newNonRetryableFailure(vmName + " does not run on node "
            + identity.node() + ": only a running VM's disk is pre-copied", FailureTypes.DOMAIN_NOT_RUNNING);
      }
      return DiskOverlay.freeze(domain, node.disks().overlayPath(vmName));
    });
  }

  DomainStatus recoverSource(String vmName) {
    return ActivitySteps.call(() -> {
      Domain domain = domains.lookup(vmName);
      if (domain == null) {
        return domains.absent(vmName);
      }
      // A save or restore that an attempt whose agent died left running in libvirtd ends first:
      // what comes next depends on whether the guest is then saved or running.
      boolean waited = node.awaitJob(domain, JobStats.SAVE);
      waited |= node.awaitJob(domain, JobStats.RESTORE);
      if (waited) {
        domain = domains.require(vmName);
      }
      DomainState state = domain.getInfo().state;
      if (state == DomainState.VIR_DOMAIN_PAUSED) {
        domain.resume();
        log.info("resumed {} on {} after a failed migration", vmName, identity.node());
      } else if (domain.isActive() == 0 && Files.exists(node.stateFile(vmName))) {
        // Warm mode saved the guest here: bring back its memory, not a fresh boot.
        libvirt.call(c -> {
          c.restore(node.stateFile(vmName).toString());
          return null;
        });
        domain = domains.require(vmName);
        if (domain.getInfo().state == DomainState.VIR_DOMAIN_PAUSED) {
          domain.resume();
        }
        Files.deleteIfExists(node.stateFile(vmName));
        log.info("restored {} on {} from its saved state after a failed migration", vmName, identity.node());
      } else if (domain.isActive() == 0) {
        domain.create();
        log.info("restarted {} on {} after a failed migration", vmName, identity.node());
      }
      return domains.status(domain);
    });
  }

  SavedState saveState(String vmName) {
    return ActivitySteps.call(() -> save(vmName));
  }

  private SavedState save(String vmName) throws LibvirtException, IOException, InterruptedException {
    Path file = node.stateFile(vmName);
    Domain domain = domains.lookup(vmName);
    boolean active = domain != null && domain.isActive() != 0;
    if (!active && domain != null && Files.exists(file)) {
      // A retry after a save that succeeded (the guest is off and its state is on disk).
      return new SavedState(file.toString(), Files.size(file));
    }
    if (!active) {
      throw ApplicationFailure.newNonRetryableFailure(vmName + " does not run on node "
          + identity.node() + " (" + (domain == null ? "absent" : Domains.state(domain))
          + ") and has no saved state there: nothing to save", FailureTypes.DOMAIN_NOT_RUNNING);
    }
    if (node.awaitJob(domain, JobStats.SAVE)) {
      // A save that an earlier attempt started runs on in libvirtd without its agent.
      return save(vmName);
    }
    Files.createDirectories(node.states());
    // Paused first, so that the guest stops changing memory the moment the warm move begins.
    if (domain.getInfo().state == DomainState.VIR_DOMAIN_RUNNING) {
      domain.suspend();
    }
    Files.deleteIfExists(file);
    domain.save(file.toString());
    long size = Files.size(file);
    log.info("saved the state of {} to {} ({} bytes)", vmName, file, size);
    return new SavedState(file.toString(), size);
  }
}
