package io.novacron.bench.migrate;

import io.novacron.bench.temporal.PersistenceBench;
import io.novacron.bench.temporal.TemporalDevServer;
import io.novacron.host.HostTransferActivities;
import io.novacron.transfer.TransferActivitiesImpl;
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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The benchmark's stage: a Temporal dev server of its own (free port, temporary database), the
 * two lab nodes' activities in this JVM on their host queues ({@link LabNode}, set up as the lab
 * ITs set them up), and the orchestrator worker (MigrateVm, the slot keeper; run records and
 * inventory left out). Closing stops all of it.
 */
final class BenchLab implements AutoCloseable {
  /** A command's exit code and its output, stdout and stderr together. */
  record Result(int exitCode, String output) {}

  private final TemporalDevServer temporal;
  private final Path work;
  private final WorkflowServiceStubs stubs;
  private final WorkflowClient client;
  private final WorkerFactory factory;
  private final Map<String, LabNode> nodes;

  private BenchLab(TemporalDevServer temporal, Path work, WorkflowServiceStubs stubs, WorkflowClient client,
      WorkerFactory factory, Map<String, LabNode> nodes) {
    this.temporal = temporal;
    this.work = work;
    this.stubs = stubs;
    this.client = client;
    this.factory = factory;
    this.nodes = nodes;
  }

  /** @param storage how the bench's Temporal dev server keeps its state (the product's: wal-full) */
  static BenchLab start(Path lab, PersistenceBench.Mode storage) throws Exception {
    Path work = Files.createTempDirectory("novacron-bench-migrate-");
    TemporalDevServer temporal = TemporalDevServer.start(work, storage.serverArgs(work));
    WorkflowServiceStubs stubs = TemporalConnection.stubs(temporal.address());
    WorkflowClient client = TemporalConnection.client(stubs, TemporalConnection.DEFAULT_NAMESPACE);
    WorkerFactory factory = WorkerFactory.newInstance(client);
    MigrationControlWorker.register(factory.newWorker(TaskQueues.CONTROL));
    Map<String, LabNode> nodes = Map.of("a", LabNode.open(lab, "a", LabNode.AgentSetup.PLAIN),
        "b", LabNode.open(lab, "b", LabNode.AgentSetup.PLAIN));
    for (LabNode n : nodes.values()) {
      factory.newWorker(TaskQueues.host(n.name())).registerActivitiesImplementations(n.host(), n.migration(),
          new HostTransferActivities(new TransferActivitiesImpl(n.transfers())));
    }
    factory.start();
    return new BenchLab(temporal, work, stubs, client, factory, nodes);
  }

  WorkflowClient client() {
    return client;
  }

  /** Node {@code a} or {@code b}, its activities called directly or through its queue. */
  LabNode node(String letter) {
    return nodes.get(letter);
  }

  /**
   * Defines and boots the guest on lab-a with one virtio NIC on the lab's network {@code lab}
   * (the MAC fixed for the guest's life, so its DHCP lease and address follow it) and waits for
   * its readiness line and its address.
   *
   * @return the address the guest got over DHCP (its console's {@code novacron-guest: ip} line)
   */
  String createGuest(String vm, int memoryMib, Nic nic, int diskDataMib) throws Exception {
    LabNode a = node("a");
    DiskInfo disk = a.host().createDisk(new DiskRequest(vm, 1, "tiny"));
    if (diskDataMib > 0) {
      fillDisk(disk.path(), diskDataMib);
    }
    a.host().defineDomain(new DomainRequest(vm, UUID.randomUUID().toString(), 1, memoryMib, disk.path(), "tiny",
        List.of(nic), null));
    a.host().startDomain(vm);
    awaitRunning("a", vm);
    return awaitAddress("a", vm, 120_000);
  }

  /**
   * Writes {@code mib} MiB of random bytes at the start of the guest's (not yet running) qcow2
   * disk, past the first MiB: a disk that holds data the way a used one does, allocated and
   * incompressible, so the pre-copy and libvirt's mirror both have to move every byte. The guest
   * boots from its kernel and initrd, so what the disk holds does not matter to it.
   */
  private static void fillDisk(String path, int mib) throws Exception {
    Path random = Files.createTempFile("bench-disk-", ".bin");
    try {
      Result dd = run("dd", "if=/dev/urandom", "of=" + random, "bs=1M", "count=" + mib, "status=none");
      if (dd.exitCode() != 0) {
        throw new IllegalStateException("dd of " + mib + " MiB failed: " + dd.output());
      }
      Result write = run("qemu-io", "-f", "qcow2", "-c", "write -q -s " + random + " 1M " + mib + "M", path);
      if (write.exitCode() != 0 || !write.output().isBlank()) {
        throw new IllegalStateException("qemu-io could not write " + mib + " MiB into " + path + ": " + write.output());
      }
    } finally {
      Files.deleteIfExists(random);
    }
  }

  /** The last address the guest printed on that node's console; waits for one. */
  String awaitAddress(String letter, String vm, long timeoutMs) throws Exception {
    Path console = node(letter).console(vm);
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
    for (LabNode n : nodes.values()) {
      run("virsh", "-c", n.uri(), "destroy", vm);
      run("virsh", "-c", n.uri(), "undefine", vm);
      n.host().deleteDisk(vm);
    }
  }

  /** Running on that node as a separate virsh sees it, and booted (its console says so). */
  void awaitRunning(String letter, String vm) throws Exception {
    LabNode n = node(letter);
    Path console = n.console(vm);
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
      Path console = node(letter).console(vm);
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
    for (LabNode n : nodes.values()) {
      n.close();
    }
    temporal.close();
    try (var files = Files.walk(work)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
