package io.novacron.host.migrate;

import io.novacron.workflows.cloudinit.CloudInit;

import io.novacron.host.libvirt.XmlDocuments;

import io.novacron.host.libvirt.CloudInitMetadata;

import io.novacron.host.ActivitySteps;
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
import io.novacron.workflows.migrate.MigrationSource;
import io.novacron.workflows.migrate.MigrationTarget;
import io.novacron.workflows.migrate.RestoreRequest;
import io.novacron.workflows.migrate.TargetRequest;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import org.libvirt.CPUCompareResult;
import org.libvirt.Domain;
import org.libvirt.LibvirtException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The target's half of a migration: prepare the volume and the rewritten XML, take the disk and
 * the domain in (define, restore), stack the pre-copy overlay, report libvirt's statistics of
 * the completed job.
 */
final class IncomingMigration {
  private static final Logger log = LoggerFactory.getLogger(IncomingMigration.class);
  /** {@code VIR_DOMAIN_JOB_STATS_COMPLETED}. */
  private static final int JOB_STATS_COMPLETED = 1;

  private final LibvirtSession libvirt;
  private final Domains domains;
  private final DiskStore disks;
  private final NodeIdentity identity;
  private final MigrationNode node;

  IncomingMigration(MigrationNode node) {
    this.node = node;
    this.libvirt = node.libvirt();
    this.domains = node.domains();
    this.disks = node.disks();
    this.identity = node.identity();
  }

  MigrationTarget prepareTarget(TargetRequest request) {
    MigrationSource source = request.source();
    return ActivitySteps.call(() -> {
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
      Files.createDirectories(node.consoles());
      // The seed is a file on the source node; the domain XML carries what it was made from, so
      // this node makes the same one (same inputs, same bytes) at its own path.
      Optional<CloudInit> cloudInit = CloudInitMetadata.read(source.domainXml());
      String seed = null;
      if (cloudInit.isPresent()) {
        seed = disks.writeSeed(source.vmName(), XmlDocuments.text(source.domainXml(), "uuid"),
            cloudInit.get()).toString();
      }
      String xml = DomainXmlRewriter.rewrite(source.domainXml(), overlay != null ? overlay : diskPath,
          console, this::localBootFile, seed);
      log.info("ready for {} from another node: disk {}{}, console {}", source.vmName(), diskPath,
          overlay == null ? "" : " under " + overlay, console);
      return new MigrationTarget(diskPath, xml, node.transport().uri(),
          node.stateFile(source.vmName()).toString(), overlay);
    });
  }

  void copyDisk(String vmName, String sourceDiskPath) {
    ActivitySteps.run(() -> {
      String target = disks.createBytes(vmName, QemuImg.virtualSize(sourceDiskPath), null).path();
      // -n: write into the volume libvirt made (its pool owns it); the source's backing chain is
      // flattened, so the copy does not depend on the source node's images.
      QemuImg.convertInto(sourceDiskPath, target);
      log.info("copied the disk of {} from {} to {}", vmName, sourceDiskPath, target);
    });
  }

  DomainStatus defineIncoming(String vmName, String uuid, String domainXml) {
    return ActivitySteps.call(() -> {
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
    });
  }

  void stackOverlay(String vmName) {
    ActivitySteps.run(() -> {
      Path base = disks.diskPath(vmName);
      rebaseOntoLocalImage(base.toString());
      DiskInfo overlay = disks.createOverlay(vmName, QemuImg.virtualSize(base.toString()), base);
      log.info("{} will run here from {} on top of its pre-copied disk {}", vmName, overlay.path(), base);
    });
  }

  CompletedJob completedJob(String vmName) {
    return ActivitySteps.call(() -> {
      Domain domain = domains.require(vmName);
      JobStats stats = JobStats.of(domain.getJobStats(JOB_STATS_COMPLETED));
      return new CompletedJob(stats.get("downtime"), stats.get("data_processed"), stats.get("time_elapsed"));
    });
  }

  DomainStatus restoreIncoming(RestoreRequest request) {
    String vmName = request.vmName();
    return ActivitySteps.call(() -> {
      Domain domain = domains.lookup(vmName);
      if (domain != null && !domain.getUUIDString().equalsIgnoreCase(request.uuid())) {
        throw ApplicationFailure.newNonRetryableFailure("node " + identity.node()
            + " already has another domain named '" + vmName + "'", FailureTypes.DOMAIN_CONFLICT);
      }
      if (domain != null && node.awaitJob(domain, JobStats.RESTORE)) {
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
      node.natives().restore(request.statePath(), request.domainXml(), LibvirtNative.SAVE_PAUSED);
      Files.deleteIfExists(Path.of(request.statePath()));
      log.info("restored incoming {} from {} (paused)", vmName, request.statePath());
      return domains.status(domains.require(vmName));
    });
  }

  /**
   * A disk that arrived as a file still names the source node's base image as its backing file;
   * this node has its own copy of the same image, so the header is pointed at it (unsafe rebase:
   * the contents are identical, nothing is copied).
   */
  private void rebaseOntoLocalImage(String diskPath) throws IOException, InterruptedException {
    String backing = QemuImg.backingFile(diskPath);
    if (backing == null) {
      return;
    }
    Path base = Path.of(backing);
    String image = base.getParent() == null || base.getParent().getFileName() == null
        ? null : base.getParent().getFileName().toString();
    Optional<Path> local = image == null ? Optional.empty() : node.images().find(image).map(BaseImage::disk);
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
    Optional<BaseImage> local = node.images().find(image);
    return local.map(i -> "initrd.img".equals(file) ? i.initrd() : "vmlinuz".equals(file) ? i.kernel() : null)
        .map(Path::toString)
        .orElse(sourcePath);
  }
}
