package io.novacron.host;

import io.novacron.host.libvirt.CloudInitMetadata;
import io.novacron.host.libvirt.DomainResize;
import io.novacron.host.libvirt.DomainXml;
import io.novacron.host.libvirt.Domains;
import io.novacron.host.libvirt.LibvirtSession;
import io.novacron.host.storage.BaseImage;
import io.novacron.host.storage.DiskStore;
import io.novacron.host.storage.ImageLibrary;
import io.novacron.workflows.FailureTypes;
import io.novacron.workflows.host.DiskInfo;
import io.novacron.workflows.host.DiskRequest;
import io.novacron.workflows.host.DomainRequest;
import io.novacron.workflows.host.DomainStatus;
import io.novacron.workflows.host.HostActivities;
import io.temporal.activity.Activity;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.libvirt.Domain;
import org.libvirt.DomainInfo.DomainState;
import org.libvirt.LibvirtException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The host agent's libvirt and storage work. Every method is idempotent (see the interface). */
public class HostActivitiesImpl implements HostActivities {
  private static final Logger log = LoggerFactory.getLogger(HostActivitiesImpl.class);

  /** How long a guest may take to print its readiness line: TCG boots take ~10 s (LAB.md). */
  static final Duration READY_TIMEOUT = Duration.ofMinutes(3);
  /** A guest must stay running this long to count as started. */
  static final Duration STABLE_FOR = Duration.ofSeconds(2);
  private static final Duration POLL = Duration.ofMillis(500);

  private final LibvirtSession libvirt;
  private final Domains domains;
  private final DiskStore disks;
  private final ImageLibrary images;
  private final NodeIdentity identity;
  private final Path consoles;
  private final Clock clock;

  public HostActivitiesImpl(
      LibvirtSession libvirt, DiskStore disks, ImageLibrary images, NodeIdentity identity,
      Path consoles, Clock clock) {
    this.libvirt = libvirt;
    this.domains = new Domains(libvirt, identity.node(), identity.domainType(), consoles);
    this.disks = disks;
    this.images = images;
    this.identity = identity;
    this.consoles = consoles.toAbsolutePath();
    this.clock = clock;
  }

  @Override
  public DiskInfo createDisk(DiskRequest request) {
    BaseImage image = request.image() == null ? null : image(request.image());
    return ActivitySteps.call(() -> {
      DiskInfo disk = disks.create(request.vmName(), request.sizeGib(), image == null ? null : image.disk());
      log.info("disk of {} at {}", request.vmName(), disk.path());
      return disk;
    });
  }

  /**
   * Refuses while a domain of that name is defined here, running or not: every caller undefines
   * its own domain first, so one still defined is another's (a provisioning that met a foreign
   * domain of the same name rolls back through here) or one whose undefine failed, and its disk
   * is kept.
   */
  @Override
  public void deleteDisk(String vmName) {
    ActivitySteps.run(() -> {
      Domain domain = domains.lookup(vmName);
      if (domain != null && domain.isActive() != 0) {
        throw ApplicationFailure.newNonRetryableFailure(vmName + " is " + Domains.state(domain)
            + " on node " + identity.node() + ": its disk is in use and was not deleted",
            FailureTypes.COPY_RUNNING);
      }
      if (domain != null) {
        throw ApplicationFailure.newNonRetryableFailure("a domain named " + vmName + " (UUID "
            + domain.getUUIDString() + ") is defined on node " + identity.node() + ": its disk was kept;"
            + " undefine that domain first", FailureTypes.DISK_IN_USE);
      }
      disks.delete(vmName);
    });
  }

  @Override
  public DomainStatus defineDomain(DomainRequest request) {
    return ActivitySteps.call(() -> {
      Domain existing = domains.lookup(request.vmName());
      if (existing != null) {
        String uuid = existing.getUUIDString();
        if (!uuid.equalsIgnoreCase(request.uuid())) {
          throw ApplicationFailure.newNonRetryableFailure(
              "a domain named '" + request.vmName() + "' already exists on node " + identity.node()
                  + " with UUID " + uuid + "; choose another VM name",
              FailureTypes.DOMAIN_CONFLICT);
        }
        return domains.status(existing);
      }
      BaseImage image = request.image() == null ? null : image(request.image());
      Path console = domains.consoleLog(request.vmName());
      Files.createDirectories(consoles);
      // Written on every try (it is replaced atomically): a retry after a crash gets a whole seed.
      Path seed = request.cloudInit() == null ? null
          : disks.writeSeed(request.vmName(), request.uuid(), request.cloudInit());
      String xml = new DomainXml(request.vmName(), request.uuid(), identity.domainType(), identity.arch(),
          request.vcpus(), request.memoryMib(), request.diskPath(), image, console, request.nicsOrEmpty(),
          seed, request.cloudInit() == null ? null : CloudInitMetadata.toJson(request.cloudInit())).toXml();
      Domain domain = libvirt.call(c -> c.domainDefineXML(xml));
      log.info("defined {} ({}) as a {} domain", request.vmName(), request.uuid(), identity.domainType());
      return domains.status(domain);
    });
  }

  @Override
  public void undefineDomain(String vmName, String uuid) {
    ActivitySteps.run(() -> {
      Domain domain = domains.lookup(vmName);
      if (domain != null && !domain.getUUIDString().equalsIgnoreCase(uuid)) {
        log.warn("not removing {}: its UUID {} is not ours ({})", vmName, domain.getUUIDString(), uuid);
        return;
      }
      if (domain != null) {
        Domains.destroyIfActive(domain);
        domain.undefine();
        log.info("undefined {}", vmName);
      }
      // Also on a retry after the undefine: no domain of that name is left here to write to it.
      Files.deleteIfExists(domains.consoleLog(vmName));
    });
  }

  @Override
  public DomainStatus startDomain(String vmName) {
    return ActivitySteps.call(() -> {
      Domain domain = domains.require(vmName);
      if (domain.isActive() == 0) {
        // A previous run's console output must not satisfy this boot's readiness check.
        Files.deleteIfExists(domains.consoleLog(vmName));
        domain.create();
        log.info("started {}", vmName);
      }
      return domains.status(domain);
    });
  }

  @Override
  public DomainStatus stopDomain(String vmName) {
    return ActivitySteps.call(() -> {
      Domain domain = domains.require(vmName);
      Domains.destroyIfActive(domain);
      return domains.status(domain);
    });
  }

  @Override
  public DomainStatus verifyRunning(String vmName) {
    return ActivitySteps.call(() -> {
      Domain domain = domains.require(vmName);
      String readyLine = readyLine(domain);
      long deadline = clock.millis() + READY_TIMEOUT.toMillis();
      long runningSince = -1;
      while (true) {
        DomainState state = domain.getInfo().state;
        Activity.getExecutionContext().heartbeat(state.name());
        if (state != DomainState.VIR_DOMAIN_RUNNING) {
          // The state as the failure's detail: a run that started the guest starts it again when
          // it stopped during its boot (GuestStart).
          throw ApplicationFailure.newNonRetryableFailure(
              vmName + " is " + Domains.stateName(state) + ", not running, on node " + identity.node(),
              FailureTypes.DOMAIN_NOT_RUNNING, Domains.stateName(state));
        }
        long now = clock.millis();
        runningSince = runningSince < 0 ? now : runningSince;
        boolean stable = now - runningSince >= STABLE_FOR.toMillis();
        boolean ready = readyLine == null || consoleContains(vmName, readyLine);
        if (stable && ready) {
          return domains.status(domain);
        }
        if (now > deadline) {
          throw ApplicationFailure.newNonRetryableFailure(
              vmName + " runs but did not print '" + readyLine + "' on its console within "
                  + READY_TIMEOUT.toSeconds() + " s; see " + domains.consoleLog(vmName),
              FailureTypes.DOMAIN_NOT_RUNNING);
        }
        Thread.sleep(POLL.toMillis());
      }
    });
  }

  @Override
  public DomainStatus status(String vmName) {
    return ActivitySteps.call(() -> {
      Domain domain = domains.lookup(vmName);
      return domain == null
          ? domains.absent(vmName)
          : domains.status(domain);
    });
  }

  /**
   * Checked here, at the moment of the change, not taken from the inventory: a guest started since
   * the run's check must not have its definition rewritten under it.
   */
  @Override
  public DomainStatus resizeDomain(String vmName, String uuid, int vcpus, long memoryMib) {
    return ActivitySteps.call(() -> {
      Domain domain = domains.require(vmName);
      if (!domain.getUUIDString().equalsIgnoreCase(uuid)) {
        throw ApplicationFailure.newNonRetryableFailure("the domain named '" + vmName + "' on node "
            + identity.node() + " has UUID " + domain.getUUIDString() + ", not " + uuid + ": it was not resized",
            FailureTypes.DOMAIN_CONFLICT);
      }
      requireStopped(domain, vmName);
      // The persistent definition, not the live one: that is what the next start boots.
      String xml = domain.getXMLDesc(Domains.XML_INACTIVE);
      if (!DomainResize.size(xml).equals(new DomainResize.Size(vcpus, memoryMib))) {
        String resized = DomainResize.resize(xml, vcpus, memoryMib);
        domain = libvirt.call(c -> c.domainDefineXML(resized));
        log.info("resized {} to {} vCPUs, {} MiB", vmName, vcpus, memoryMib);
      }
      return domains.status(domain);
    });
  }

  @Override
  public DiskInfo growDisk(String vmName, long sizeGib) {
    return ActivitySteps.call(() -> {
      Domain domain = domains.lookup(vmName);
      if (domain != null) {
        requireStopped(domain, vmName);
      }
      DiskInfo disk = disks.grow(vmName, sizeGib);
      if (disk == null) {
        throw ApplicationFailure.newNonRetryableFailure("node " + identity.node() + " has no disk for "
            + vmName + " in its pool", FailureTypes.DISK_NOT_FOUND);
      }
      log.info("disk of {} is {} bytes", vmName, disk.capacityBytes());
      return disk;
    });
  }

  private void requireStopped(Domain domain, String vmName) throws LibvirtException {
    if (domain.isActive() != 0) {
      throw ApplicationFailure.newNonRetryableFailure(vmName + " is " + Domains.state(domain) + " on node "
          + identity.node() + ": it changes size only while stopped; stop it first: novacron vm stop " + vmName,
          FailureTypes.VM_NOT_STOPPED);
    }
  }

  /** The image's readiness line, where the guest boots one of ours and its console is a file here. */
  private String readyLine(Domain domain) throws LibvirtException {
    if ("test".equals(identity.domainType())) {
      return null; // libvirt's test driver runs no guest, so nothing ever prints.
    }
    String xml = domain.getXMLDesc(0);
    return images.names().stream()
        .map(images::find)
        .flatMap(java.util.Optional::stream)
        .filter(image -> image.kernel() != null && xml.contains(image.kernel().toString()))
        .map(BaseImage::readyLine)
        .filter(java.util.Objects::nonNull)
        .findFirst()
        .orElse(null);
  }

  private boolean consoleContains(String vmName, String line) {
    try {
      Path log = domains.consoleLog(vmName);
      return Files.isRegularFile(log)
          && new String(Files.readAllBytes(log), StandardCharsets.UTF_8).contains(line);
    } catch (IOException e) {
      return false;
    }
  }

  private BaseImage image(String name) {
    return images.find(name).orElseThrow(() -> ApplicationFailure.newNonRetryableFailure(
        "node " + identity.node() + " has no image '" + name + "'; its images: " + images.names(),
        FailureTypes.IMAGE_NOT_FOUND));
  }

}
