package io.novacron.bench.migrate;

import static io.novacron.bench.migrate.LabFixture.LAB;
import static io.novacron.bench.migrate.LabFixture.assertHeartbeatPasses;
import static io.novacron.bench.migrate.LabFixture.domstate;
import static io.novacron.bench.migrate.LabFixture.lastHeartbeat;
import static io.novacron.bench.migrate.LabFixture.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.novacron.bench.migrate.LabNode.AgentSetup;
import io.novacron.workflows.host.DiskInfo;
import io.novacron.workflows.host.DiskRequest;
import io.novacron.workflows.host.DomainRequest;
import io.novacron.workflows.migrate.LiveMigrationRequest;
import io.novacron.workflows.migrate.MigrationOptions;
import io.novacron.workflows.migrate.MigrationOutcome;
import io.novacron.workflows.migrate.MigrationSource;
import io.novacron.workflows.migrate.MigrationTarget;
import io.novacron.workflows.migrate.TargetRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A live migration between the lab's two libvirt daemons with both channels over TLS (issue 19):
 * the agents' migration activities as an agent with {@code NOVACRON_MIGRATION_TLS=true} builds
 * them, the source daemon dialling the target's {@code qemu+tls://} listener and QEMU's stream
 * started with libvirt's TLS flag. Evidence that TLS was used: the source daemon's QEMU monitor
 * log (turned on for the test through virt-admin) shows the x509 credentials object libvirt adds
 * for the migration and the migration parameters that name it.
 *
 * <p>The agents are set up as for {@link LabMigrationIT} but with {@link AgentSetup#TLS}. Needs
 * root, libvirtd and QEMU; skipped otherwise. Brings the lab up and down like
 * {@link LabMigrationIT}; run it under {@code flock /work/lab.lock} where others share the lab.
 */
class LabTlsMigrationIT {
  /** The source's monitor log, in its private /var/log/libvirt. */
  private static final Path MONITOR_LOG = LAB.resolve("a/log/libvirt/monitor-tls-it.log");
  /** How virt-admin reaches the source's daemon, to turn its monitor log on and off. */
  private static final String ADMIN_URI_A =
      "libvirtd:///system?socket=" + LAB.resolve("a/run/libvirt/libvirt-admin-sock");

  private static LabTestNode a;
  private static LabTestNode b;

  @BeforeAll
  static void labUp() throws Exception {
    LabFixture.Nodes nodes = LabFixture.labUp(AgentSetup.TLS);
    a = nodes.a();
    b = nodes.b();
  }

  @AfterAll
  static void labDown() throws Exception {
    if (a != null) {
      run("virt-admin", "-c", ADMIN_URI_A, "daemon-log-filters", "");
      run("virt-admin", "-c", ADMIN_URI_A, "daemon-log-outputs", "3:file:/var/log/libvirt/libvirtd.log");
    }
    LabFixture.labDown(a, b);
  }

  @Test
  void a_guest_moves_live_over_tls_and_keeps_running_on_the_target() throws Exception {
    String vm = "tls-" + UUID.randomUUID().toString().substring(0, 8);
    DiskInfo disk = a.host().createDisk(new DiskRequest(vm, 1, "tiny"));
    a.host().defineDomain(new DomainRequest(vm, UUID.randomUUID().toString(), 1, 128, disk.path(), "tiny"));
    a.host().startDomain(vm);
    a.host().verifyRunning(vm);

    MigrationSource source = a.migration().describeSource(vm);
    MigrationTarget target = b.migration().prepareTarget(new TargetRequest(source, true));
    assertThat(target.migrationUri()).as("the target offers its TLS listener").isEqualTo("qemu+tls://10.77.0.2/system");

    // A target offered over plain TCP is refused before anything starts: the guest stays on a.
    assertThatThrownBy(() -> a.migration().migrateLive(new LiveMigrationRequest(vm, "qemu+tcp://10.77.0.2/system",
        target.destXml(), true, MigrationOptions.defaults().resolved())))
        .rootCause().hasMessageContaining("NOVACRON_MIGRATION_TLS=true").hasMessageContaining("nothing was started");
    assertThat(run("virsh", "-c", a.uri(), "domstate", vm).output()).contains("running");

    // Log what the source daemon says to its QEMU, to see the migration's TLS parameters.
    Files.deleteIfExists(MONITOR_LOG);
    assertThat(run("virt-admin", "-c", ADMIN_URI_A, "daemon-log-filters", "1:qemu.qemu_monitor 1:qemu.qemu_monitor_json").exitCode()).isZero();
    assertThat(run("virt-admin", "-c", ADMIN_URI_A, "daemon-log-outputs",
        "1:file:/var/log/libvirt/" + MONITOR_LOG.getFileName()).exitCode()).isZero();
    long before = lastHeartbeat(a.console(vm));
    long start = System.nanoTime();
    MigrationOutcome outcome = a.migration().migrateLive(new LiveMigrationRequest(
        vm, target.migrationUri(), target.destXml(), true, MigrationOptions.defaults().resolved()));
    long wall = (System.nanoTime() - start) / 1_000_000;
    b.migration().completedJob(vm);
    System.out.printf("a->b over TLS: %s, %d ms%n", outcome, wall);

    assertThat(domstate(a, vm)).isEqualTo("absent");
    assertThat(domstate(b, vm)).isEqualTo("running");
    assertHeartbeatPasses(b.console(vm), before);

    // The monitor traffic, quotes and spaces aside: libvirt adds x509 credentials to the source's
    // QEMU (endpoint client) and sets the migration's tls-creds to them before it starts.
    java.util.List<String> lines = Files.readAllLines(MONITOR_LOG, StandardCharsets.UTF_8).stream()
        .map(l -> l.replaceAll("[\\s\\\\\"]", ""))
        .filter(l -> l.contains("tls-creds")).toList();
    lines.forEach(l -> System.out.printf("monitor: %s%n", l.length() > 300 ? l.substring(0, 300) : l));
    assertThat(lines).as("x509 client credentials added to the source QEMU")
        .anyMatch(l -> l.contains("object-add") && l.contains("tls-creds-x509") && l.contains("endpoint:client"));
    assertThat(lines).as("the migration set to use them")
        .anyMatch(l -> l.contains("migrate-set-parameters") && l.contains("tls-creds:objlibvirt_migrate_tls0"));

    b.host().undefineDomain(vm, source.uuid());
    b.host().deleteDisk(vm);
    a.host().deleteDisk(vm);
  }
}
