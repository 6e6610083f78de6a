package io.novacron.host.migrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.novacron.host.HostActivitiesImpl;
import io.novacron.host.NodeIdentity;
import io.novacron.host.libvirt.LibvirtSession;
import io.novacron.host.storage.DiskStore;
import io.novacron.host.storage.ImageLibrary;
import io.novacron.workflows.FailureTypes;
import io.novacron.workflows.host.DiskInfo;
import io.novacron.workflows.host.DiskRequest;
import io.novacron.workflows.host.DomainRequest;
import io.novacron.workflows.host.HostActivities;
import io.novacron.workflows.migrate.DomainProbe;
import io.novacron.workflows.migrate.MigrationActivities;
import io.novacron.workflows.migrate.RemoveCopyRequest;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node's half of a move, against libvirt's test driver (its volumes live in memory, so files
 * here are the console log only): the probe of a running, a shut-off and
 * an absent domain (a shut-off one has no job, and libvirt refuses to be asked for one), and a
 * removal that refuses a running copy but takes a stopped one with all its files.
 */
class CopyTestDriverTest {
  @TempDir Path data;

  private LibvirtSession libvirt;
  private TestActivityEnvironment env;
  private HostActivities host;
  private MigrationActivities migration;
  private final String vm = "copy-" + UUID.randomUUID().toString().substring(0, 8);
  private final String uuid = UUID.randomUUID().toString();

  @BeforeEach
  void setUp() {
    libvirt = new LibvirtSession("test:///default");
    NodeIdentity identity = new NodeIdentity("t1", "x86_64", "test");
    DiskStore disks = new DiskStore(libvirt, "t1-" + vm, data.resolve("disks"));
    ImageLibrary images = new ImageLibrary(data.resolve("images"));
    env = TestActivityEnvironment.newInstance();
    env.registerActivitiesImplementations(
        new HostActivitiesImpl(libvirt, disks, images, identity, data.resolve("consoles"), Clock.systemUTC()),
        new MigrationActivitiesImpl(libvirt, disks, images, identity, data.resolve("consoles"),
            data.resolve("states"), "test:///default", Clock.systemUTC()));
    host = env.newActivityStub(HostActivities.class);
    migration = env.newActivityStub(MigrationActivities.class);
  }

  @AfterEach
  void tearDown() {
    env.close();
    libvirt.close();
  }

  @Test
  void probes_say_what_the_node_holds_in_every_state() throws Exception {
    assertThat(migration.probe(vm).absent()).isTrue();
    assertThat(migration.probe(vm).hasTraces()).isFalse();

    DiskInfo disk = host.createDisk(new DiskRequest(vm, 1, null));
    host.defineDomain(new DomainRequest(vm, uuid, 1, 128, disk.path(), null));
    DomainProbe stopped = migration.probe(vm);
    assertThat(stopped.state()).isEqualTo("shutoff");
    assertThat(stopped.job()).as("a shut-off domain has no job").isNull();
    assertThat(stopped.uuid()).isEqualToIgnoringCase(uuid);

    host.startDomain(vm);
    DomainProbe running = migration.probe(vm);
    assertThat(running.running()).isTrue();
    assertThat(running.busy()).isFalse();
  }

  @Test
  void a_running_copy_is_never_removed_and_a_stopped_one_goes_with_its_files() throws Exception {
    DiskInfo disk = host.createDisk(new DiskRequest(vm, 1, null));
    host.defineDomain(new DomainRequest(vm, uuid, 1, 128, disk.path(), null));
    host.startDomain(vm);
    Files.createDirectories(data.resolve("consoles"));
    Files.writeString(data.resolve("consoles/" + vm + ".log"), "novacron-guest: up\n");

    assertThatThrownBy(() -> migration.removeCopy(new RemoveCopyRequest(vm, uuid, false)))
        .isInstanceOf(ActivityFailure.class).cause().isInstanceOf(ApplicationFailure.class)
        .satisfies(f -> assertThat(((ApplicationFailure) f).getType()).isEqualTo(FailureTypes.COPY_RUNNING));
    assertThatThrownBy(() -> host.deleteDisk(vm)).as("nor its disk on its own")
        .isInstanceOf(ActivityFailure.class);
    assertThat(migration.probe(vm).running()).isTrue();
    assertThat(migration.probe(vm).files().console()).isTrue();

    assertThatThrownBy(() -> migration.removeCopy(new RemoveCopyRequest(vm, UUID.randomUUID().toString(), true)))
        .as("another VM's UUID: not ours, even when forced").isInstanceOf(ActivityFailure.class);

    host.stopDomain(vm);
    DomainProbe left = migration.removeCopy(new RemoveCopyRequest(vm, uuid, false));
    assertThat(left.absent()).isTrue();
    assertThat(left.hasTraces()).isFalse();
    assertThat(Files.exists(data.resolve("consoles/" + vm + ".log"))).isFalse();
    assertThat(migration.removeCopy(new RemoveCopyRequest(vm, uuid, false)).absent()).as("idempotent").isTrue();
  }
}
