package io.novacron.bench.migrate;

import io.novacron.host.HostActivitiesImpl;
import io.novacron.host.HostTransferActivities;
import io.novacron.host.NodeIdentity;
import io.novacron.host.libvirt.LibvirtSession;
import io.novacron.host.migrate.MigrationActivitiesImpl;
import io.novacron.host.storage.DiskStore;
import io.novacron.host.storage.ImageLibrary;
import io.novacron.transfer.TransferActivitiesImpl;
import io.novacron.transfer.TransferConfig;
import io.novacron.transfer.TransferNode;
import io.novacron.workflows.TaskQueues;
import io.novacron.runtime.TemporalConnection;
import io.novacron.workflows.host.DiskInfo;
import io.novacron.workflows.host.DiskRequest;
import io.novacron.workflows.host.DomainRequest;
import io.novacron.workflows.host.Nic;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.worker.WorkerFactory;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The benchmark's stage: a Temporal dev server of its own (free port, temporary database), the
 * two lab nodes' activities in this JVM on their host queues, and the orchestrator worker
 * (MigrateVm, the slot keeper; run records and inventory left out). Closing stops all of it.
 */
final class BenchLab implements AutoCloseable {
  /** One lab node's activity implementations, called directly or through its queue. */
  record Node(String name, String uri, Path data, HostActivitiesImpl host,
      MigrationActivitiesImpl migration, TransferNode transfers, LibvirtSession libvirt) {}

  record Result(int exitCode, String output) {}

  private final Process temporal;
  private final Path work;
  private final WorkflowServiceStubs stubs;
  private final WorkflowClient client;
  private final WorkerFactory factory;
  private final Map<String, Node> nodes;

  private BenchLab(Process temporal, Path work, WorkflowServiceStubs stubs, WorkflowClient client,
      WorkerFactory factory, Map<String, Node> nodes) {
    this.temporal = temporal;
    this.work = work;
    this.stubs = stubs;
    this.client = client;
    this.factory = factory;
    this.nodes = nodes;
  }

  static BenchLab start(Path lab) throws Exception {
    Path work = Files.createTempDirectory("novacron-bench-migrate-");
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Process temporal = new ProcessBuilder("temporal", "server", "start-dev", "--headless", "--ip", "127.0.0.1",
        "--port", String.valueOf(port), "--db-filename", work.resolve("temporal.db").toString(), "--log-level", "warn")
        .redirectErrorStream(true).redirectOutput(work.resolve("temporal.log").toFile()).start();
    long deadline = System.currentTimeMillis() + 60_000;
    while (run("temporal", "operator", "cluster", "health", "--address", "127.0.0.1:" + port).exitCode() != 0) {
      if (System.currentTimeMillis() > deadline) {
        temporal.destroyForcibly();
        throw new IllegalStateException("the Temporal dev server did not start; see " + work.resolve("temporal.log"));
      }
      Thread.sleep(500);
    }
    WorkflowServiceStubs stubs = TemporalConnection.stubs("127.0.0.1:" + port);
    WorkflowClient client = TemporalConnection.client(stubs, TemporalConnection.DEFAULT_NAMESPACE);
    WorkerFactory factory = WorkerFactory.newInstance(client);
    MigrationControlWorker.register(factory.newWorker(TaskQueues.CONTROL));
    Map<String, Node> nodes = Map.of("a", node(lab, "a", "10.77.0.1"), "b", node(lab, "b", "10.77.0.2"));
    for (Node n : nodes.values()) {
      factory.newWorker(TaskQueues.host(n.name())).registerActivitiesImplementations(n.host(), n.migration(),
          new HostTransferActivities(new TransferActivitiesImpl(n.transfers())));
    }
    factory.start();
    return new BenchLab(temporal, work, stubs, client, factory, nodes);
  }

  private static Node node(Path lab, String letter, String ip) throws IOException {
    String name = "lab-" + letter;
    String uri = "qemu+unix:///system?socket=" + lab.resolve(letter + "/run/libvirt/libvirt-sock");
    Path data = lab.resolve(letter + "/node");
    LibvirtSession libvirt = new LibvirtSession(uri);
    NodeIdentity identity = new NodeIdentity(name, "x86_64", "qemu");
    DiskStore disks = new DiskStore(libvirt, name, data.resolve("disks"));
    ImageLibrary images = new ImageLibrary(data.resolve("images"));
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    TransferNode transfers = TransferNode.start(new TransferConfig(data, "127.0.0.1", 0, secret));
    return new Node(name, uri, data,
        new HostActivitiesImpl(libvirt, disks, images, identity, data.resolve("consoles"), Clock.systemUTC()),
        new MigrationActivitiesImpl(libvirt, disks, images, identity, data.resolve("consoles"),
            data.resolve("states"), "qemu+tcp://" + ip + "/system", Clock.systemUTC()),
        transfers, libvirt);
  }

  WorkflowClient client() {
    return client;
  }

  Node node(String letter) {
    return nodes.get(letter);
  }

  /**
   * Defines and boots the guest on lab-a with one virtio NIC on the lab's network {@code lab}
   * (the MAC fixed for the guest's life, so its DHCP lease and address follow it) and waits for
   * its readiness line and its address.
   *
   * @return the address the guest got over DHCP (its console's {@code novacron-guest: ip} line)
   */
  String createGuest(String vm, int memoryMib, Nic nic) throws Exception {
    Node a = node("a");
    DiskInfo disk = a.host().createDisk(new DiskRequest(vm, 1, "tiny"));
    a.host().defineDomain(new DomainRequest(vm, UUID.randomUUID().toString(), 1, memoryMib, disk.path(), "tiny",
        List.of(nic), null));
    a.host().startDomain(vm);
    awaitRunning("a", vm);
    return awaitAddress("a", vm, 120_000);
  }

  /** The last address the guest printed on that node's console; waits for one. */
  String awaitAddress(String letter, String vm, long timeoutMs) throws Exception {
    Path console = node(letter).data().resolve("consoles/" + vm + ".log");
    Pattern ip = Pattern.compile("novacron-guest: ip (\\d+\\.\\d+\\.\\d+\\.\\d+)");
    long deadline = System.currentTimeMillis() + timeoutMs;
    while (true) {
      String last = null;
      if (Files.exists(console)) {
        Matcher m = ip.matcher(Files.readString(console, StandardCharsets.ISO_8859_1));
        while (m.find()) {
          last = m.group(1);
        }
      }
      if (last != null) {
        return last;
      }
      if (System.currentTimeMillis() > deadline) {
        throw new IllegalStateException(vm + " printed no address on " + node(letter).name()
            + "'s console (" + console + "): no DHCP lease from novacron-c's dnsmasq?");
      }
      Thread.sleep(250);
    }
  }

  void removeGuest(String vm) throws Exception {
    for (Node n : nodes.values()) {
      run("virsh", "-c", n.uri(), "destroy", vm);
      run("virsh", "-c", n.uri(), "undefine", vm);
      n.host().deleteDisk(vm);
    }
  }

  /** Running on that node as a separate virsh sees it, and booted (its console says so). */
  void awaitRunning(String letter, String vm) throws Exception {
    Node n = node(letter);
    Path console = n.data().resolve("consoles/" + vm + ".log");
    long deadline = System.currentTimeMillis() + 120_000;
    while (true) {
      Result state = run("virsh", "-c", n.uri(), "domstate", vm);
      boolean up = Files.exists(console) && Files.readString(console).contains("novacron-guest");
      if (state.exitCode() == 0 && state.output().strip().startsWith("running") && up) {
        return;
      }
      if (System.currentTimeMillis() > deadline) {
        throw new IllegalStateException(vm + " does not run on " + n.name() + ": " + state.output());
      }
      Thread.sleep(250);
    }
  }

  /** The last lines of the guest's console on that node, joined with " | "; "" when there is none. */
  String consoleTail(String letter, String vm, int lines) {
    try {
      Path console = node(letter).data().resolve("consoles/" + vm + ".log");
      if (!Files.exists(console)) {
        return "";
      }
      List<String> all = Files.readString(console, StandardCharsets.ISO_8859_1).lines().toList();
      return String.join(" | ", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "? " + e.getMessage();
    }
  }

  /** Bytes the node's namespace has sent over the lab's veth. */
  long txBytes(String letter) throws Exception {
    Result r = run("ip", "-n", "novacron-" + letter, "-s", "-j", "link", "show", "nclab-" + letter);
    Matcher m = Pattern.compile("\"tx\":\\{\"bytes\":(\\d+)").matcher(r.output());
    if (!m.find()) {
      throw new IllegalStateException("no veth counters for node " + letter + ": " + r.output());
    }
    return Long.parseLong(m.group(1));
  }

  static Result run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Result(p.waitFor(), out);
  }

  static String firstLine(String... command) {
    try {
      return run(command).output().lines().findFirst().orElse("?").strip();
    } catch (Exception e) {
      return "?";
    }
  }

  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return f[0] + " " + f[1] + " " + f[2] + " (2 cores)";
    } catch (IOException e) {
      return "?";
    }
  }

  @Override
  public void close() throws Exception {
    factory.shutdownNow();
    factory.awaitTermination(10, TimeUnit.SECONDS);
    stubs.shutdownNow();
    for (Node n : nodes.values()) {
      n.transfers().close();
      n.libvirt().close();
    }
    temporal.destroy();
    if (!temporal.waitFor(10, TimeUnit.SECONDS)) {
      temporal.destroyForcibly();
    }
    try (var files = Files.walk(work)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
