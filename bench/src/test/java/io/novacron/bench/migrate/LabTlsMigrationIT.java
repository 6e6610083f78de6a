package io.novacron.bench.migrate;

import static io.novacron.bench.migrate.LabMigrationIT.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.novacron.bench.migrate.LabMigrationIT.Result;
import io.novacron.host.HostActivitiesImpl;
import io.novacron.host.NodeIdentity;
import io.novacron.host.libvirt.LibvirtSession;
import io.novacron.host.migrate.MigrationActivitiesImpl;
import io.novacron.host.migrate.MigrationTransport;
import io.novacron.host.storage.DiskStore;
import io.novacron.host.storage.ImageLibrary;
import io.novacron.workflows.host.DiskInfo;
import io.novacron.workflows.host.DiskRequest;
import io.novacron.workflows.host.DomainRequest;
import io.novacron.workflows.host.HostActivities;
import io.novacron.workflows.migrate.LiveMigrationRequest;
import io.novacron.workflows.migrate.MigrationActivities;
import io.novacron.workflows.migrate.MigrationOptions;
import io.novacron.workflows.migrate.MigrationOutcome;
import io.novacron.workflows.migrate.MigrationSource;
import io.novacron.workflows.migrate.MigrationTarget;
import io.novacron.workflows.migrate.TargetRequest;
import io.temporal.activity.ActivityOptions;
import io.temporal.testing.TestActivityEnvironment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
 * <p>Needs root, libvirtd and QEMU; skipped otherwise. Brings the lab up and down like
 * {@link LabMigrationIT}; run it under {@code flock /work/lab.lock} where others share the lab.
 */
class LabTlsMigrationIT {
  private static final Path REPO = Path.of(System.getProperty("user.dir")).getParent();
  private static final Path LAB_SCRIPT = REPO.resolve("starter/scripts/lab.sh");
  private static final Path LAB = Path.of(System.getenv().getOrDefault("NOVACRON_LAB_DIR", "/var/lib/novacron/lab"));
  private static final Pattern HEARTBEAT = Pattern.compile("heartbeat (\\d+)");
  /** The source's monitor log, in its private /var/log/libvirt. */
  private static final Path MONITOR_LOG = LAB.resolve("a/log/libvirt/monitor-tls-it.log");

  private static Node a;
  private static Node b;

  /** One lab node as an agent with migration TLS on sees it. */
  record Node(String name, String ip, String uri, Path data, LibvirtSession libvirt, TestActivityEnvironment env,
      HostActivities host, MigrationActivities migration) {
    static Node open(String letter, String ip) {
      String name = "lab-" + letter;
      String uri = "qemu+unix:///system?socket=" + LAB.resolve(letter + "/run/libvirt/libvirt-sock");
      Path data = LAB.resolve(letter + "/node");
      LibvirtSession libvirt = new LibvirtSession(uri);
      NodeIdentity identity = new NodeIdentity(name, "x86_64", "qemu");
      DiskStore disks = new DiskStore(libvirt, name, data.resolve("disks"));
      ImageLibrary images = new ImageLibrary(data.resolve("images"));
      TestActivityEnvironment env = TestActivityEnvironment.newInstance();
      env.registerActivitiesImplementations(
          new HostActivitiesImpl(libvirt, disks, images, identity, data.resolve("consoles"), Clock.systemUTC()),
          new MigrationActivitiesImpl(libvirt, disks, images, identity, data.resolve("consoles"), data.resolve("states"),
              new MigrationTransport("qemu+tls://" + ip + "/system", true), Clock.systemUTC()));
      ActivityOptions options = ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofMinutes(3))
          .setHeartbeatTimeout(Duration.ofSeconds(30))
          .build();
      return new Node(name, ip, uri, data, libvirt, env, env.newActivityStub(HostActivities.class, options),
          env.newActivityStub(MigrationActivities.class, options));
    }

    Path console(String vm) {
      return data.resolve("consoles/" + vm + ".log");
    }

    String adminUri() {
      return "libvirtd:///system?socket=" + LAB.resolve(name.substring("lab-".length()) + "/run/libvirt/libvirt-admin-sock");
    }
  }

  @BeforeAll
  static void labUp() throws Exception {
    assumeTrue("root".equals(System.getProperty("user.name")), "the lab needs root");
    assumeTrue(Files.isExecutable(Path.of("/usr/sbin/libvirtd")), "the lab needs libvirtd");
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/qemu-system-x86_64")), "the lab needs QEMU");
    assertThat(run(LAB_SCRIPT.toString(), "up").exitCode()).isZero();
    a = Node.open("a", "10.77.0.1");
    b = Node.open("b", "10.77.0.2");
  }

  @AfterAll
  static void labDown() throws Exception {
    if (a != null) {
      run("virt-admin", "-c", a.adminUri(), "daemon-log-filters", "");
      run("virt-admin", "-c", a.adminUri(), "daemon-log-outputs", "3:file:/var/log/libvirt/libvirtd.log");
      for (Node n : new Node[] {a, b}) {
        n.env().close();
        n.libvirt().close();
      }
      run(LAB_SCRIPT.toString(), "down");
    }
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
    assertThat(LabMigrationIT.run("virsh", "-c", a.uri(), "domstate", vm).output()).contains("running");

    // Log what the source daemon says to its QEMU, to see the migration's TLS parameters.
    Files.deleteIfExists(MONITOR_LOG);
    assertThat(run("virt-admin", "-c", a.adminUri(), "daemon-log-filters", "1:qemu.qemu_monitor 1:qemu.qemu_monitor_json").exitCode()).isZero();
    assertThat(run("virt-admin", "-c", a.adminUri(), "daemon-log-outputs",
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
    assertKeepsBeating(b.console(vm), before);

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

  private static String domstate(Node node, String vm) throws Exception {
    Result r = run("virsh", "-c", node.uri(), "domstate", vm);
    return r.exitCode() == 0 ? r.output().strip().split("\n")[0].strip() : "absent";
  }

  /** The guest's heartbeat goes on, on the new host, past where it stood on the old one. */
  private static void assertKeepsBeating(Path console, long lastBefore) throws Exception {
    long deadline = System.currentTimeMillis() + 15_000;
    while (System.currentTimeMillis() < deadline && lastHeartbeat(console) <= lastBefore + 1) {
      Thread.sleep(500);
    }
    assertThat(lastHeartbeat(console)).as("heartbeat continues on the target").isGreaterThan(lastBefore + 1);
  }

  private static long lastHeartbeat(Path console) throws Exception {
    if (!Files.exists(console)) {
      return -1;
    }
    Matcher m = HEARTBEAT.matcher(Files.readString(console, StandardCharsets.UTF_8));
    long last = -1;
    while (m.find()) {
      last = Long.parseLong(m.group(1));
    }
    return last;
  }
}
