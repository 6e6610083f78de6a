package io.novacron.host;

import java.util.List;

import io.novacron.workflows.host.Nic;

import io.novacron.workflows.cloudinit.CloudInit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.novacron.host.libvirt.LibvirtSession;
import io.novacron.host.storage.DiskStore;
import io.novacron.host.storage.ImageLibrary;
import io.novacron.workflows.FailureTypes;
import io.novacron.workflows.host.DiskInfo;
import io.novacron.workflows.host.DiskRequest;
import io.novacron.workflows.host.DomainRequest;
import io.novacron.workflows.host.DomainStatus;
import io.novacron.workflows.host.HostActivities;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.libvirt.LibvirtException;

/**
 * The host activities against libvirt's built-in test driver ({@code test:///default}): real
 * libvirt API calls and real domain XML, no daemon and no guest. Each test uses its own VM name
 * because the test driver's state lives as long as the process.
 */
class HostActivitiesTestDriverTest {
  @TempDir Path data;

  private LibvirtSession libvirt;
  private TestActivityEnvironment env;
  private HostActivities host;
  private final String vm = "vm-" + UUID.randomUUID().toString().substring(0, 8);

  @BeforeEach
  void setUp() {
    libvirt = new LibvirtSession("test:///default");
    NodeIdentity identity = new NodeIdentity("t1", "x86_64", "test");
    env = TestActivityEnvironment.newInstance();
    env.registerActivitiesImplementations(new HostActivitiesImpl(libvirt,
        new DiskStore(libvirt, "t1-" + vm, data.resolve("disks")), new ImageLibrary(data.resolve("images")),
        identity, data.resolve("consoles"), Clock.systemUTC()));
    host = env.newActivityStub(HostActivities.class);
  }

  @AfterEach
  void tearDown() {
    env.close();
    libvirt.close();
  }

  @Test
  void definesStartsVerifiesStopsAndUndefinesADomain() throws Exception {
    DiskInfo disk = host.createDisk(new DiskRequest(vm, 1, null));
    assertThat(disk.path()).endsWith(vm + ".qcow2");
    String uuid = UUID.randomUUID().toString();

    DomainStatus defined = host.defineDomain(request(uuid, disk));
    assertThat(defined.state()).isEqualTo("shutoff");
    assertThat(defined.uuid()).isEqualToIgnoringCase(uuid);
    assertThat(defined.domainType()).isEqualTo("test");

    assertThat(host.startDomain(vm).state()).isEqualTo("running");
    assertThat(host.verifyRunning(vm).state()).isEqualTo("running");
    assertThat(host.startDomain(vm).state()).as("starting a running domain changes nothing").isEqualTo("running");

    assertThat(host.stopDomain(vm).state()).isEqualTo("shutoff");
    assertThat(host.stopDomain(vm).state()).as("stopping a stopped domain is fine").isEqualTo("shutoff");

    Path console = data.resolve("consoles").resolve(vm + ".log");
    Files.writeString(console, "novacron-guest: up\n"); // the test driver runs no guest to write it
    host.undefineDomain(vm, uuid);
    assertThat(host.status(vm).state()).isEqualTo("absent");
    assertThat(domainNames()).doesNotContain(vm);
    assertThat(console).as("a removed domain leaves no console log").doesNotExist();
    host.undefineDomain(vm, uuid); // already gone: still succeeds

    host.deleteDisk(vm);
    host.deleteDisk(vm);
  }

  @Test
  void aDomainWithCloudInitGetsItsSeedAsACdromWithNicsAndTheDeleteRemovesTheSeed() throws Exception {
    DiskInfo disk = host.createDisk(new DiskRequest(vm, 1, null));
    String uuid = UUID.randomUUID().toString();
    CloudInit cloudInit = new CloudInit("#cloud-config\n{}\n", List.of(), "probe-host", null);

    host.defineDomain(new DomainRequest(vm, uuid, 1, 64, disk.path(), null,
        List.of(new Nic("default", "52:54:00:11:22:33")), cloudInit));
    host.defineDomain(new DomainRequest(vm, uuid, 1, 64, disk.path(), null,
        List.of(new Nic("default", "52:54:00:11:22:33")), cloudInit)); // a retry: same domain, same seed

    Path seed = data.resolve("disks").resolve(vm + "-seed.iso");
    assertThat(seed).isNotEmptyFile();
    String xml = libvirt.call(c -> c.domainLookupByName(vm).getXMLDesc(0));
    assertThat(xml).contains(seed.toString()).contains("52:54:00:11:22:33").contains("probe-host");

    host.undefineDomain(vm, uuid);
    host.deleteDisk(vm);
    assertThat(seed).as("the delete takes the seed too").doesNotExist();
  }

  @Test
  void aRetriedDefineOrCreateDiskMakesNoDuplicate() throws LibvirtException {
    DiskInfo first = host.createDisk(new DiskRequest(vm, 1, null));
    DiskInfo again = host.createDisk(new DiskRequest(vm, 1, null));
    assertThat(again.path()).isEqualTo(first.path());

    String uuid = UUID.randomUUID().toString();
    host.defineDomain(request(uuid, first));
    DomainStatus retried = host.defineDomain(request(uuid, first));
    assertThat(retried.uuid()).isEqualToIgnoringCase(uuid);
    assertThat(domainNames().stream().filter(vm::equals)).hasSize(1);
    host.undefineDomain(vm, uuid);
    host.deleteDisk(vm);
  }

  @Test
  void aDomainOfTheSameNameFromAnotherRunIsAConflictAndIsNeverRemoved() throws Exception {
    DiskInfo disk = host.createDisk(new DiskRequest(vm, 1, null));
    String ours = UUID.randomUUID().toString();
    host.defineDomain(request(ours, disk));

    assertThatThrownBy(() -> host.defineDomain(request(UUID.randomUUID().toString(), disk)))
        .isInstanceOf(ActivityFailure.class)
        .cause().isInstanceOfSatisfying(ApplicationFailure.class, failure -> {
          assertThat(failure.getType()).isEqualTo(FailureTypes.DOMAIN_CONFLICT);
          assertThat(failure.getOriginalMessage()).contains(vm).contains("choose another VM name");
        });

    // A compensation with a foreign UUID must leave the domain alone, and its disk too: the
    // provisioning's saga deletes the disk after its (skipped) undefine.
    Path console = data.resolve("consoles").resolve(vm + ".log");
    Files.createDirectories(console.getParent());
    Files.writeString(console, "novacron-guest: up\n");
    host.undefineDomain(vm, UUID.randomUUID().toString());
    assertThat(host.status(vm).state()).isEqualTo("shutoff");
    assertThat(console).as("nor its console log").exists();
    assertThatThrownBy(() -> host.deleteDisk(vm))
        .isInstanceOf(ActivityFailure.class)
        .cause().isInstanceOfSatisfying(ApplicationFailure.class, failure -> {
          assertThat(failure.getType()).isEqualTo(FailureTypes.DISK_IN_USE);
          assertThat(failure.getOriginalMessage()).contains(vm).contains("undefine that domain first");
        });
    assertThat(volumeExists(disk.path())).as("the other domain's disk is kept").isTrue();
    host.undefineDomain(vm, ours);
    host.deleteDisk(vm);
  }

  @Test
  void aStoppedDomainIsResizedOnceAndKeepsItsMetadataARunningOneIsRefused() throws Exception {
    DiskInfo disk = host.createDisk(new DiskRequest(vm, 1, null));
    String uuid = UUID.randomUUID().toString();
    CloudInit cloudInit = new CloudInit("#cloud-config\n{}\n", List.of(), "probe-host", null);
    host.defineDomain(new DomainRequest(vm, uuid, 1, 64, disk.path(), null, null, cloudInit));

    assertThat(host.resizeDomain(vm, uuid, 2, 128).state()).isEqualTo("shutoff");
    String xml = libvirt.call(c -> c.domainLookupByName(vm).getXMLDesc(2));
    assertThat(io.novacron.host.libvirt.DomainResize.size(xml))
        .isEqualTo(new io.novacron.host.libvirt.DomainResize.Size(2, 128));
    assertThat(xml).as("the cloud-init metadata a migration rebuilds the seed from").contains("probe-host");
    host.resizeDomain(vm, uuid, 2, 128); // a retry: the same size, nothing to redefine
    String again = libvirt.call(c -> c.domainLookupByName(vm).getXMLDesc(2));
    assertThat(again).isEqualTo(xml);

    host.startDomain(vm);
    assertThatThrownBy(() -> host.resizeDomain(vm, uuid, 4, 256))
        .cause().isInstanceOfSatisfying(ApplicationFailure.class, failure -> {
          assertThat(failure.getType()).isEqualTo(FailureTypes.VM_NOT_STOPPED);
          assertThat(failure.getOriginalMessage()).contains("novacron vm stop " + vm);
        });
    assertThatThrownBy(() -> host.growDisk(vm, 2))
        .cause().isInstanceOfSatisfying(ApplicationFailure.class,
            failure -> assertThat(failure.getType()).isEqualTo(FailureTypes.VM_NOT_STOPPED));
    assertThatThrownBy(() -> host.resizeDomain(vm, UUID.randomUUID().toString(), 4, 256))
        .cause().isInstanceOfSatisfying(ApplicationFailure.class,
            failure -> assertThat(failure.getType()).isEqualTo(FailureTypes.DOMAIN_CONFLICT));
    host.undefineDomain(vm, uuid);
    host.deleteDisk(vm);
  }

  @Test
  void aDiskGrowsWithQemuImgAndNeverShrinks() throws Exception {
    DiskInfo disk = host.createDisk(new DiskRequest(vm, 1, null));
    // The test driver keeps its volumes in memory: the file qemu-img grows is made here.
    Process create = new ProcessBuilder("qemu-img", "create", "-q", "-f", "qcow2", disk.path(), "1G")
        .redirectErrorStream(true).start();
    assertThat(create.waitFor()).isZero();

    assertThat(host.growDisk(vm, 3).capacityBytes()).isEqualTo(3L << 30);
    assertThat(io.novacron.host.storage.QemuImg.virtualSize(disk.path())).isEqualTo(3L << 30);
    assertThat(host.growDisk(vm, 3).capacityBytes()).as("a retry changes nothing").isEqualTo(3L << 30);
    assertThat(host.growDisk(vm, 2).capacityBytes()).as("never shrinks").isEqualTo(3L << 30);
    host.deleteDisk(vm);

    assertThatThrownBy(() -> host.growDisk(vm, 4))
        .cause().isInstanceOfSatisfying(ApplicationFailure.class,
            failure -> assertThat(failure.getType()).isEqualTo(FailureTypes.DISK_NOT_FOUND));
  }

  @Test
  void anUnknownImageIsANonRetryableFailureNamingTheImages() {
    assertThatThrownBy(() -> host.createDisk(new DiskRequest(vm, 1, "no-such-image")))
        .isInstanceOf(ActivityFailure.class)
        .cause().isInstanceOfSatisfying(ApplicationFailure.class, failure -> {
          assertThat(failure.getType()).isEqualTo(FailureTypes.IMAGE_NOT_FOUND);
          assertThat(failure.isNonRetryable()).isTrue();
          assertThat(failure.getOriginalMessage()).contains("no-such-image");
        });
  }

  @Test
  void startingAnUndefinedDomainFailsClearly() {
    assertThatThrownBy(() -> host.startDomain(vm))
        .cause().isInstanceOfSatisfying(ApplicationFailure.class,
            failure -> assertThat(failure.getOriginalMessage()).contains("no domain named '" + vm + "'"));
  }

  private DomainRequest request(String uuid, DiskInfo disk) {
    return new DomainRequest(vm, uuid, 1, 64, disk.path(), null);
  }

  private boolean volumeExists(String path) throws LibvirtException {
    return libvirt.call(c -> {
      try {
        return c.storageVolLookupByPath(path) != null;
      } catch (LibvirtException noSuchVolume) {
        return false;
      }
    });
  }

  private java.util.List<String> domainNames() throws LibvirtException {
    return libvirt.call(c -> {
      java.util.List<String> names = new java.util.ArrayList<>(Arrays.asList(c.listDefinedDomains()));
      for (int id : c.listDomains()) {
        names.add(c.domainLookupByID(id).getName());
      }
      return names;
    });
  }
}
