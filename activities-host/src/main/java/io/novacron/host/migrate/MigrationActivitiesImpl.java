package io.novacron.host.migrate;

import io.novacron.host.NodeIdentity;
import io.novacron.host.libvirt.Domains;
import io.novacron.host.libvirt.LibvirtNative;
import io.novacron.host.libvirt.LibvirtSession;
import io.novacron.host.storage.BaseImage;
import io.novacron.host.storage.DiskStore;
import io.novacron.host.storage.ImageLibrary;
import io.novacron.host.storage.QemuImg;
import io.novacron.workflows.FailureTypes;
import io.novacron.workflows.host.DiskInfo;
import io.novacron.workflows.host.DomainStatus;
import io.novacron.workflows.migrate.CompletedJob;
import io.novacron.workflows.migrate.DomainProbe;
import io.novacron.workflows.migrate.FrozenDisk;
import io.novacron.workflows.migrate.LiveMigrationRequest;
import io.novacron.workflows.migrate.MigrationActivities;
import io.novacron.workflows.migrate.MigrationOutcome;
import io.novacron.workflows.migrate.MigrationSource;
import io.novacron.workflows.migrate.MigrationTarget;
import io.novacron.workflows.migrate.RemoveCopyRequest;
import io.novacron.workflows.migrate.RestoreRequest;
import io.novacron.workflows.migrate.SavedState;
import io.novacron.workflows.migrate.TargetRequest;
import io.temporal.activity.Activity;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import org.libvirt.CPUCompareResult;
import org.libvirt.Domain;
import org.libvirt.DomainInfo.DomainState;
import org.libvirt.LibvirtException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The host agent's side of a migration, on the source or on the target. */
public class MigrationActivitiesImpl implements MigrationActivities {
  private static final Logger log = LoggerFactory.getLogger(MigrationActivitiesImpl.class);
  /** {@code VIR_DOMAIN_XML_MIGRATABLE}: the XML without what only this host's daemon added. */
  private static final int XML_MIGRATABLE = 1 << 3;
  /** {@code VIR_DOMAIN_JOB_STATS_COMPLETED}. */
  private static final int JOB_STATS_COMPLETED = 1;

  private final LibvirtSession libvirt;
  private final Domains domains;
  private final DiskStore disks;
  private final ImageLibrary images;
  private final NodeIdentity identity;
  private final Path consoles;
  private final Path states;
  private final LibvirtNative natives;
  private final String migrationUri;
  private final Clock clock;
  private final CopyInspector inspector;
  private final CopyRemover remover;

  /**
   * @param migrationUri the URI another node's daemon reaches this node's daemon at, peer to peer
   *     (e.g. {@code qemu+tcp://10.77.0.2/system})
   * @param states where warm mode's saved memory states are written and arrive; must lie inside
   *     the agent's data directory, which is all the transfer engine serves
   */
  public MigrationActivitiesImpl(LibvirtSession libvirt, DiskStore disks, ImageLibrary images,
      NodeIdentity identity, Path consoles, Path states, String migrationUri, Clock clock) {
    this.libvirt = libvirt;
    this.domains = new Domains(libvirt, identity.node(), identity.domainType(), consoles);
    this.disks = disks;
    this.images = images;
    this.identity = identity;
    this.consoles = consoles.toAbsolutePath();
    this.states = states.toAbsolutePath();
    this.natives = new LibvirtNative(libvirt.uri());
    this.migrationUri = migrationUri;
    this.clock = clock;
    this.inspector = new CopyInspector(identity.node(), domains, disks, natives, this.states);
    this.remover = new CopyRemover(identity.node(), domains, disks, inspector);
  }

  @Override
  public MigrationSource describeSource(String vmName) {
    try {
      Domain domain = domains.lookup(vmName);
      if (domain == null || domain.getInfo().state != DomainState.VIR_DOMAIN_RUNNING) {
        throw ApplicationFailure.newNonRetryableFailure(
            vmName + " does not run on node " + identity.node() + " ("
                + (domain == null ? "absent" : Domains.state(domain)) + "): only a running VM migrates live",
            FailureTypes.DOMAIN_NOT_RUNNING);
      }
      String xml = domain.getXMLDesc(XML_MIGRATABLE);
      String disk = DomainXmlRewriter.diskSource(xml, "vda");
      long capacity = disk == null ? 0 : libvirt.call(c -> c.storageVolLookupByPath(disk)).getInfo().capacity;
      String cpu = DomainXmlRewriter.hostCpu(libvirt.call(c -> c.getCapabilities()));
      return new MigrationSource(vmName, domain.getUUIDString(), Domains.state(domain), xml, cpu, disk,
          capacity, domain.getInfo().maxMem * 1024);
    } catch (LibvirtException e) {
      throw Activity.wrap(e);
    }
  }

  @Override
  public MigrationTarget prepareTarget(TargetRequest request) {
    MigrationSource source = request.source();
    try {
      Domain existing = domains.lookup(source.vmName());
      if (existing != null) {
        throw ApplicationFailure.newNonRetryableFailure("node " + identity.node()
            + " already has a domain named '" + source.vmName() + "' (" + Domains.state(existing) + ")",
            FailureTypes.DOMAIN_CONFLICT);
      }
      checkCpu(source);
      String diskPath = null;
      if (request.copyStorage() && source.diskPath() != null) {
        DiskInfo disk = disks.createBytes(source.vmName(), source.diskCapacityBytes(), null);
        diskPath = disk.path();
      }
      // Pre-copy: the guest will run from an overlay on top of the pre-copied disk (stackOverlay).
      String overlay = request.precopyDisk() && diskPath != null
          ? disks.overlayPath(source.vmName()).toString() : null;
      String console = domains.consoleLog(source.vmName()).toString();
      java.nio.file.Files.createDirectories(consoles);
      String xml = DomainXmlRewriter.rewrite(source.domainXml(), overlay != null ? overlay : diskPath,
          console, this::localBootFile);
      log.info("ready for {} from another node: disk {}{}, console {}", source.vmName(), diskPath,
          overlay == null ? "" : " under " + overlay, console);
      return new MigrationTarget(diskPath, xml, migrationUri, stateFile(source.vmName()).toString(), overlay);
    } catch (LibvirtException | java.io.IOException e) {
      throw Activity.wrap(e);
    }
  }

  /**
   * The first attempt starts the migration. A later one (Temporal retries the activity after its
   * agent died or its heartbeat was lost) never starts another: it re-attaches to the job libvirt
   * still runs, reports a switch-over that happened meanwhile as done, and fails (non-retryable)
   * when the job ended without one, so that the workflow settles the move from both nodes.
   */
  @Override
  public MigrationOutcome migrateLive(LiveMigrationRequest request) {
    var context = Activity.getExecutionContext();
    String vm = request.vmName();
    try {
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
      LiveMigrationMonitor monitor = new LiveMigrationMonitor(domain, request, clock, context, natives);
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
        DomainProbe probe = inspector.probe(vm);
        if ("shutoff".equals(probe.state()) && "migrated".equals(probe.reason())) {
          return new MigrationOutcome(-1, null, false);
        }
        throw ApplicationFailure.newNonRetryableFailure("the migration of " + vm + " ended before the"
            + " switch-over while no agent watched it (or was never started); it still runs on "
            + identity.node() + " (" + probe.describe() + ") and no second migration was started",
            FailureTypes.MIGRATION_FAILED);
      }
      return monitor.run();
    } catch (LibvirtException e) {
      throw Activity.wrap(e);
    }
  }

  @Override
  public DomainProbe probe(String vmName) {
    try {
      return inspector.probe(vmName);
    } catch (LibvirtException e) {
      throw Activity.wrap(e);
    }
  }

  @Override
  public String abortMigration(String vmName) {
    try {
      DomainProbe probe = inspector.probe(vmName);
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

  @Override
  public DomainProbe removeCopy(RemoveCopyRequest request) {
    try {
      return remover.remove(request);
    } catch (LibvirtException | java.io.IOException e) {
      throw Activity.wrap(e);
    }
  }

  @Override
  public void forceComplete(String vmName) {
    try {
      Domain domain = domains.lookup(vmName);
      if (domain != null && JobStats.of(domain.getJobStats(0)).active()
          && domain.getInfo().state == DomainState.VIR_DOMAIN_RUNNING) {
        // Post-copy is always tried: libvirt knows whether the job was started with POSTCOPY and
        // refuses otherwise, and its job outlives a restart of this agent, which memory would not.
        String how = LiveMigrationMonitor.forceCompletion(domain, vmName, true, natives);
        log.info("forced the migration of {} to complete ({})", vmName, how);
      }
    } catch (LibvirtException e) {
      throw Activity.wrap(e);
    }
  }

  @Override
  public DomainStatus shutdownForMove(String vmName, int graceSeconds) {
    try {
      Domain domain = domains.require(vmName);
      if (domain.isActive() != 0) {
        try {
          domain.shutdown();
        } catch (LibvirtException e) {
          log.info("shutdown request to {} refused: {}", vmName, e.getMessage());
        }
        long deadline = clock.millis() + graceSeconds * 1000L;
        while (domain.isActive() != 0 && clock.millis() < deadline) {
          Activity.getExecutionContext().heartbeat(Domains.state(domain));
          Thread.sleep(500);
        }
        if (domain.isActive() != 0) {
          log.info("{} did not shut down within {} s: powering it off", vmName, graceSeconds);
          Domains.destroyIfActive(domain);
        }
      }
      return domains.status(domain);
    } catch (LibvirtException e) {
      throw Activity.wrap(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw Activity.wrap(e);
    }
  }

  @Override
  public void copyDisk(String vmName, String sourceDiskPath) {
    try {
      String target = disks.createBytes(vmName, QemuImg.virtualSize(sourceDiskPath), null).path();
      // -n: write into the volume libvirt made (its pool owns it); the source's backing chain is
      // flattened, so the copy does not depend on the source node's images.
      Process p = new ProcessBuilder("qemu-img", "convert", "-n", "-O", "qcow2", sourceDiskPath, target)
          .redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      if (p.waitFor() != 0) {
        throw ApplicationFailure.newFailure("qemu-img convert " + sourceDiskPath + " -> " + target
            + " failed: " + out.strip(), FailureTypes.MIGRATION_FAILED);
      }
      log.info("copied the disk of {} from {} to {}", vmName, sourceDiskPath, target);
    } catch (LibvirtException | java.io.IOException e) {
      throw Activity.wrap(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw Activity.wrap(e);
    }
  }

  @Override
  public DomainStatus defineIncoming(String vmName, String uuid, String domainXml) {
    try {
      Domain domain = domains.lookup(vmName);
      if (domain != null && !domain.getUUIDString().equalsIgnoreCase(uuid)) {
        throw ApplicationFailure.newNonRetryableFailure("node " + identity.node()
            + " already has another domain named '" + vmName + "'", FailureTypes.DOMAIN_CONFLICT);
      }
      if (domain == null) {
        String disk = DomainXmlRewriter.diskSource(domainXml, "vda");
        if (disk != null) {
          rebaseOntoLocalImage(disk);
        }
        domain = libvirt.call(c -> c.domainDefineXML(domainXml));
        log.info("defined incoming {} ({})", vmName, uuid);
      }
      return domains.status(domain);
    } catch (LibvirtException | java.io.IOException e) {
      throw Activity.wrap(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw Activity.wrap(e);
    }
  }

  @Override
  public FrozenDisk freezeDisk(String vmName) {
    try {
      Domain domain = domains.lookup(vmName);
      if (domain == null || domain.isActive() == 0) {
        throw ApplicationFailure.newNonRetryableFailure(vmName + " does not run on node "
            + identity.node() + ": only a running VM's disk is pre-copied", FailureTypes.DOMAIN_NOT_RUNNING);
      }
      return DiskOverlay.freeze(domain, disks.overlayPath(vmName));
    } catch (LibvirtException | java.io.IOException e) {
      throw Activity.wrap(e);
    }
  }

  @Override
  public void stackOverlay(String vmName) {
    try {
      Path base = disks.diskPath(vmName);
      rebaseOntoLocalImage(base.toString());
      DiskInfo overlay = disks.createOverlay(vmName, QemuImg.virtualSize(base.toString()), base);
      log.info("{} will run here from {} on top of its pre-copied disk {}", vmName, overlay.path(), base);
    } catch (LibvirtException | java.io.IOException e) {
      throw Activity.wrap(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw Activity.wrap(e);
    }
  }

  @Override
  public void commitOverlay(String vmName) {
    try {
      Domain domain = domains.lookup(vmName);
      if (domain == null) {
        return;
      }
      var context = Activity.getExecutionContext();
      DiskOverlay.commit(domain, disks.overlayPath(vmName),
          (done, total) -> context.heartbeat(done + "/" + total));
    } catch (LibvirtException | java.io.IOException e) {
      throw Activity.wrap(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw Activity.wrap(e);
    }
  }

  @Override
  public CompletedJob completedJob(String vmName) {
    try {
      Domain domain = domains.require(vmName);
      JobStats stats = JobStats.of(domain.getJobStats(JOB_STATS_COMPLETED));
      return new CompletedJob(stats.get("downtime"), stats.get("data_processed"), stats.get("time_elapsed"));
    } catch (LibvirtException e) {
      throw Activity.wrap(e);
    }
  }

  @Override
  public DomainStatus recoverSource(String vmName) {
    try {
      Domain domain = domains.lookup(vmName);
      if (domain == null) {
        return domains.absent(vmName);
      }
      DomainState state = domain.getInfo().state;
      if (state == DomainState.VIR_DOMAIN_PAUSED) {
        domain.resume();
        log.info("resumed {} on {} after a failed migration", vmName, identity.node());
      } else if (domain.isActive() == 0 && java.nio.file.Files.exists(stateFile(vmName))) {
        // Warm mode saved the guest here: bring back its memory, not a fresh boot.
        libvirt.call(c -> {
          c.restore(stateFile(vmName).toString());
          return null;
        });
        domain = domains.require(vmName);
        if (domain.getInfo().state == DomainState.VIR_DOMAIN_PAUSED) {
          domain.resume();
        }
        java.nio.file.Files.deleteIfExists(stateFile(vmName));
        log.info("restored {} on {} from its saved state after a failed migration", vmName, identity.node());
      } else if (domain.isActive() == 0) {
        domain.create();
        log.info("restarted {} on {} after a failed migration", vmName, identity.node());
      }
      return domains.status(domain);
    } catch (LibvirtException | java.io.IOException e) {
      throw Activity.wrap(e);
    }
  }

  @Override
  public SavedState saveState(String vmName) {
    Path file = stateFile(vmName);
    try {
      Domain domain = domains.lookup(vmName);
      boolean active = domain != null && domain.isActive() != 0;
      if (!active && domain != null && java.nio.file.Files.exists(file)) {
        // A retry after a save that succeeded (the guest is off and its state is on disk).
        return new SavedState(file.toString(), java.nio.file.Files.size(file));
      }
      if (!active) {
        throw ApplicationFailure.newNonRetryableFailure(vmName + " does not run on node "
            + identity.node() + " (" + (domain == null ? "absent" : Domains.state(domain))
            + ") and has no saved state there: nothing to save", FailureTypes.DOMAIN_NOT_RUNNING);
      }
      if (awaitJob(domain, JobStats.SAVE)) {
        // A save that an earlier attempt started runs on in libvirtd without its agent.
        return saveState(vmName);
      }
      java.nio.file.Files.createDirectories(states);
      // Paused first, so that the guest stops changing memory the moment the warm move begins.
      if (domain.getInfo().state == DomainState.VIR_DOMAIN_RUNNING) {
        domain.suspend();
      }
      java.nio.file.Files.deleteIfExists(file);
      domain.save(file.toString());
      long size = java.nio.file.Files.size(file);
      log.info("saved the state of {} to {} ({} bytes)", vmName, file, size);
      return new SavedState(file.toString(), size);
    } catch (LibvirtException | java.io.IOException e) {
      throw Activity.wrap(e);
    }
  }

  @Override
  public DomainStatus restoreIncoming(RestoreRequest request) {
    String vmName = request.vmName();
    try {
      Domain domain = domains.lookup(vmName);
      if (domain != null && !domain.getUUIDString().equalsIgnoreCase(request.uuid())) {
        throw ApplicationFailure.newNonRetryableFailure("node " + identity.node()
            + " already has another domain named '" + vmName + "'", FailureTypes.DOMAIN_CONFLICT);
      }
      if (domain != null && awaitJob(domain, JobStats.RESTORE)) {
        // A restore that an earlier attempt started runs on in libvirtd without its agent.
        return domains.status(domains.require(vmName));
      }
      if (domain != null && domain.isActive() != 0) {
        return domains.status(domain);
      }
      if (domain == null) {
        libvirt.call(c -> c.domainDefineXML(request.domainXml()));
      }
      if (request.diskPath() != null) {
        rebaseOntoLocalImage(request.diskPath());
      }
      // The XML stored in the file names the source's paths; the target's replace them.
      natives.restore(request.statePath(), request.domainXml(), LibvirtNative.SAVE_PAUSED);
      java.nio.file.Files.deleteIfExists(Path.of(request.statePath()));
      log.info("restored incoming {} from {} (paused)", vmName, request.statePath());
      return domains.status(domains.require(vmName));
    } catch (LibvirtException | java.io.IOException e) {
      throw Activity.wrap(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw Activity.wrap(e);
    }
  }

  @Override
  public DomainStatus resume(String vmName) {
    try {
      Domain domain = domains.require(vmName);
      if (domain.getInfo().state == DomainState.VIR_DOMAIN_PAUSED) {
        domain.resume();
      }
      return domains.status(domain);
    } catch (LibvirtException e) {
      throw Activity.wrap(e);
    }
  }

  @Override
  public void discardSavedState(String vmName) {
    try {
      java.nio.file.Files.deleteIfExists(stateFile(vmName));
    } catch (java.io.IOException e) {
      throw Activity.wrap(e);
    }
  }

  /**
   * Waits, heartbeating, while libvirt runs a job of {@code operation} for the domain.
   *
   * @return whether there was one
   */
  private boolean awaitJob(Domain domain, long operation) throws LibvirtException {
    boolean waited = false;
    while (domain.isActive() != 0) {
      JobStats job = JobStats.of(domain.getJobStats(0));
      if (!job.active() || job.get("operation") != operation) {
        return waited;
      }
      waited = true;
      Activity.getExecutionContext().heartbeat(null);
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw Activity.wrap(e);
      }
    }
    return waited;
  }

  private Path stateFile(String vmName) {
    return states.resolve(vmName + ".save");
  }

  /**
   * A disk that arrived as a file still names the source node's base image as its backing file;
   * this node has its own copy of the same image, so the header is pointed at it (unsafe rebase:
   * the contents are identical, nothing is copied).
   */
  private void rebaseOntoLocalImage(String diskPath) throws java.io.IOException, InterruptedException {
    String backing = QemuImg.backingFile(diskPath);
    if (backing == null) {
      return;
    }
    Path base = Path.of(backing);
    String image = base.getParent() == null || base.getParent().getFileName() == null
        ? null : base.getParent().getFileName().toString();
    Optional<Path> local = image == null ? Optional.empty() : images.find(image).map(BaseImage::disk);
    if (local.isEmpty() || local.get().toString().equals(backing)) {
      return;
    }
    QemuImg.rebaseUnsafe(diskPath, local.get().toString());
    log.info("rebased {} from {} onto {}", diskPath, backing, local.get());
  }

  /**
   * Under KVM the guest sees the host's CPU model, so the target's must offer what the source's
   * does. Under TCG (domain type qemu) QEMU emulates the CPU and the hosts' CPUs do not matter.
   */
  private void checkCpu(MigrationSource source) throws LibvirtException {
    if (source.hostCpuXml() == null || !"kvm".equals(identity.domainType())) {
      return;
    }
    CPUCompareResult result = libvirt.call(c -> c.compareCPU(source.hostCpuXml()));
    if (result == CPUCompareResult.VIR_CPU_COMPARE_INCOMPATIBLE) {
      throw ApplicationFailure.newNonRetryableFailure("the CPU of node " + identity.node()
          + " lacks features of the source host's CPU; " + source.vmName() + " cannot run here",
          FailureTypes.CPU_INCOMPATIBLE);
    }
  }

  /** A boot file from the source's image library maps to the same image in this node's library. */
  private String localBootFile(String sourcePath) {
    Path path = Path.of(sourcePath);
    if (path.getParent() == null || path.getParent().getFileName() == null) {
      return sourcePath;
    }
    String image = path.getParent().getFileName().toString();
    String file = path.getFileName().toString();
    Optional<BaseImage> local = images.find(image);
    return local.map(i -> "initrd.img".equals(file) ? i.initrd() : "vmlinuz".equals(file) ? i.kernel() : null)
        .map(Path::toString)
        .orElse(sourcePath);
  }

}
