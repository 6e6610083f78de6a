package io.novacron.host.migrate;

import io.novacron.host.NodeIdentity;
import io.novacron.host.libvirt.Domains;
import io.novacron.host.libvirt.LibvirtSession;
import io.novacron.host.storage.BaseImage;
import io.novacron.host.storage.DiskStore;
import io.novacron.host.storage.ImageLibrary;
import io.novacron.workflows.FailureTypes;
import io.novacron.workflows.host.DiskInfo;
import io.novacron.workflows.host.DomainStatus;
import io.novacron.workflows.migrate.CompletedJob;
import io.novacron.workflows.migrate.LiveMigrationRequest;
import io.novacron.workflows.migrate.MigrationActivities;
import io.novacron.workflows.migrate.MigrationOutcome;
import io.novacron.workflows.migrate.MigrationSource;
import io.novacron.workflows.migrate.MigrationTarget;
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
  private final String migrationUri;
  private final Clock clock;

  /**
   * @param migrationUri the URI another node's daemon reaches this node's daemon at, peer to peer
   *     (e.g. {@code qemu+tcp://10.77.0.2/system})
   */
  public MigrationActivitiesImpl(LibvirtSession libvirt, DiskStore disks, ImageLibrary images,
      NodeIdentity identity, Path consoles, String migrationUri, Clock clock) {
    this.libvirt = libvirt;
    this.domains = new Domains(libvirt, identity.node(), identity.domainType(), consoles);
    this.disks = disks;
    this.images = images;
    this.identity = identity;
    this.consoles = consoles.toAbsolutePath();
    this.migrationUri = migrationUri;
    this.clock = clock;
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
      String console = domains.consoleLog(source.vmName()).toString();
      java.nio.file.Files.createDirectories(consoles);
      String xml = DomainXmlRewriter.rewrite(source.domainXml(), diskPath, console, this::localBootFile);
      log.info("ready for {} from another node: disk {}, console {}", source.vmName(), diskPath, console);
      return new MigrationTarget(diskPath, xml, migrationUri);
    } catch (LibvirtException | java.io.IOException e) {
      throw Activity.wrap(e);
    }
  }

  @Override
  public MigrationOutcome migrateLive(LiveMigrationRequest request) {
    try {
      Domain domain = domains.require(request.vmName());
      return new LiveMigrationMonitor(domain, request, clock, Activity.getExecutionContext()).run();
    } catch (LibvirtException e) {
      throw Activity.wrap(e);
    }
  }

  @Override
  public void forceComplete(String vmName) {
    try {
      Domain domain = domains.lookup(vmName);
      if (domain != null && JobStats.of(domain.getJobStats(0)).active()
          && domain.getInfo().state == DomainState.VIR_DOMAIN_RUNNING) {
        domain.suspend();
        log.info("paused {} to force its migration to complete", vmName);
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
      String target = disks.createBytes(vmName, sizeOf(sourceDiskPath), null).path();
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
        domain = libvirt.call(c -> c.domainDefineXML(domainXml));
        log.info("defined incoming {} ({})", vmName, uuid);
      }
      return domains.status(domain);
    } catch (LibvirtException e) {
      throw Activity.wrap(e);
    }
  }

  /** The virtual size of a qcow2 image, from {@code qemu-img info}. */
  private static long sizeOf(String path) throws java.io.IOException, InterruptedException {
    Process p = new ProcessBuilder("qemu-img", "info", "-U", "--output=json", path)
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"virtual-size\":\\s*(\\d+)").matcher(out);
    if (p.waitFor() != 0 || !m.find()) {
      throw new java.io.IOException("qemu-img info " + path + ": " + out.strip());
    }
    return Long.parseLong(m.group(1));
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
      } else if (domain.isActive() == 0) {
        domain.create();
        log.info("restarted {} on {} after a failed migration", vmName, identity.node());
      }
      return domains.status(domain);
    } catch (LibvirtException e) {
      throw Activity.wrap(e);
    }
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
