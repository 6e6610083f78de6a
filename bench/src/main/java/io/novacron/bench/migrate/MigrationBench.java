package io.novacron.bench.migrate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.novacron.bench.temporal.PersistenceBench;
import io.novacron.workflows.migrate.Compression;
import io.novacron.workflows.migrate.MigrateVmRequest;
import io.novacron.workflows.migrate.MigrateVmResult;
import io.novacron.workflows.migrate.MigrateVmWorkflow;
import io.novacron.workflows.migrate.MigrationMode;
import io.novacron.workflows.migrate.MigrationOptions;
import io.novacron.workflows.migrate.MigrationSource;
import io.novacron.workflows.migrate.MigrationTarget;
import io.novacron.workflows.migrate.TargetRequest;
import io.novacron.workflows.TaskQueues;
import io.novacron.workflows.host.Nic;
import io.novacron.bench.net.ProbeReport;
import io.novacron.workflows.run.PhaseEvent;
import io.novacron.workflows.run.RunStatus;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.WorkflowExecutionHistory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * The migration benchmark on the two-node lab: one tiny TCG guest moved lab-a -> lab-b by
 * {@code MigrateVm} (real workflow on a Temporal dev server, the agents' activities in this JVM)
 * and straight back lab-b -> lab-a by a plain {@code virsh migrate --live --p2p
 * --copy-storage-all}, the baseline, in the same round. Per option set (live plain, live with
 * multithreaded compression and auto-converge, warm, cold) and round: downtime, total time and
 * bytes on the wire. Writes {@code migrate.md} and {@code migrate.json}.
 *
 * <pre>
 * --runs=3            rounds per option set
 * --sets=live,live-mt-ac,warm,cold (also: live-mirror, live-precopy)
 * --memory-mib=128    the guest's memory
 * --out=docs/bench
 * --histories=DIR     also write each MigrateVm's Temporal history there (JSON, for replay tests)
 * --directions=ab     ab: MigrateVm a->b, virsh b->a in every round; alternate: even rounds swap
 *                     (virsh a->b first, then MigrateVm b->a), so that both see both directions
 * --temporal=wal-full how the bench's Temporal dev server keeps its state: wal-full (the product's,
 *                     novacron up), rollback (SQLite's default journal, the product's before),
 *                     memory, wal-normal, wal-full-20rps (the product's storage at Temporal's
 *                     default transfer-queue read rate, the product's before; see PersistenceBench)
 * </pre>
 *
 * The lab must be up ({@code lab.sh up}, no agents); {@code bench-migrate.sh} brings it up and down.
 */
public final class MigrationBench {
  private MigrationBench() {}

  /** One option set: how MigrateVm is asked to move the guest. */
  record OptionSet(String name, String description, MigrationMode mode, MigrationOptions options) {}

  static final List<OptionSet> SETS = List.of(
      // Every default: the pre-copy is left to the disk (PrecopyPolicy; this guest's empty,
      // standalone disk goes with libvirt's mirror).
      new OptionSet("live", "live, libvirt defaults", MigrationMode.LIVE, MigrationOptions.defaults()),
      new OptionSet("live-precopy", "live, disk pre-copied by the transfer engine", MigrationMode.LIVE,
          MigrationOptions.defaults().withPrecopyDisk(true)),
      // The same move without the disk's pre-copy: libvirt mirrors the whole disk, as virsh does.
      new OptionSet("live-mirror", "live, no pre-copy (libvirt mirrors the disk)", MigrationMode.LIVE,
          MigrationOptions.defaults().withPrecopyDisk(false)),
      new OptionSet("live-mt-ac", "live, compression mt + auto-converge", MigrationMode.LIVE,
          MigrationOptions.defaults().withCompression(Compression.MT).withAutoConverge(true)),
      new OptionSet("warm", "warm, transfer engine zstd:3", MigrationMode.WARM,
          MigrationOptions.defaults().withTransferCodec("zstd:3")),
      new OptionSet("cold", "cold, 3 s shutdown grace, transfer engine zstd:3", MigrationMode.COLD,
          MigrationOptions.defaults().withShutdownTimeoutSeconds(3)));

  /**
   * One measured move.
   *
   * @param totalMs wall time of the whole move as its caller sees it (MigrateVm: start to result,
   *     every phase; virsh: the migrate command)
   * @param downtimeMs the guest's pause: libvirt's completed-job downtime for live moves; for warm
   *     and cold the workflow's own measure (save to resume, shutdown to started)
   * @param wireBytes bytes the source put on the wire: veth tx counter of the source's namespace,
   *     except warm, whose transfer-engine streams run over loopback in this JVM: the engine's own
   *     count of its connections' bytes
   * @param net what a client in the lab's third namespace saw of the move ({@link ClientProbe}):
   *     longest gap between echoes, whether its one TCP connection survived, echoes lost; null
   *     when not probed
   */
  record Move(long totalMs, long downtimeMs, long wireBytes, ProbeReport net, Timing timing) {
    Move(long totalMs, long downtimeMs, long wireBytes) {
      this(totalMs, downtimeMs, wireBytes, null, null);
    }

    Move(long totalMs, long downtimeMs, long wireBytes, ProbeReport net) {
      this(totalMs, downtimeMs, wireBytes, net, null);
    }
  }

  /**
   * Where a MigrateVm's time went ({@link PhaseBreakdown}): ms per phase of the run's timeline, and
   * per task type of its Temporal history the wait for a worker and the run.
   */
  record Timing(Map<String, Long> phases, List<PhaseBreakdown.Totals> tasks) {}

  /** Echoes that flow before a move starts and after it ends, inside the probe's window. */
  static final long PROBE_MARGIN_MS = 1000;

  /**
   * After a warm or cold move: the guest was away for seconds, so the client's TCP has backed off
   * its retransmissions (RTO doubling: 0.2, 0.4, 0.8, 1.6, 3.2 s ...) and its next segment reaches the
   * guest seconds after the resume. A 1 s window would cut the gap off at the window's end (and
   * count every echo still queued as lost); 8 s covers the back-off after a pause of up to ~6 s.
   */
  static final long PROBE_MARGIN_AFTER_PAUSE_MS = 8000;

  /** Where each MigrateVm's history goes; null: nowhere. */
  private static Path histories;

  public static void main(String[] args) throws Exception {
    Map<String, String> a = new LinkedHashMap<>();
    for (String arg : args) {
      if (!arg.startsWith("--") || !arg.contains("=")) {
        throw new IllegalArgumentException("expected --key=value, got " + arg);
      }
      a.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
    }
    int runs = Integer.parseInt(a.getOrDefault("runs", "3"));
    List<String> wanted = List.of(a.getOrDefault("sets", "live,live-mt-ac,warm,cold").split(","));
    int memory = Integer.parseInt(a.getOrDefault("memory-mib", "128"));
    int diskData = Integer.parseInt(a.getOrDefault("disk-data-mib", "0"));
    Path out = Path.of(a.getOrDefault("out", "docs/bench"));
    histories = a.containsKey("histories") ? Path.of(a.get("histories")) : null;
    String directions = a.getOrDefault("directions", "ab");
    PersistenceBench.Mode storage = PersistenceBench.Mode.of(a.getOrDefault("temporal", "wal-full"));
    if (!List.of("ab", "alternate").contains(directions)) {
      throw new IllegalArgumentException("--directions: ab or alternate, got " + directions);
    }
    Path lab = LabNode.labDirectory();

    Map<String, Object> env = new LinkedHashMap<>();
    env.put("date", Instant.now().toString());
    env.put("cpu", Runtime.getRuntime().availableProcessors() + " cores visible, shared with other builds and tests");
    env.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    env.put("temporal storage", storage.label() + ": " + storage.description());
    env.put("qemu", BenchLab.firstLine("qemu-system-x86_64", "--version"));
    env.put("libvirt", BenchLab.firstLine("libvirtd", "--version"));
    env.put("guest", "tiny TCG guest (direct kernel boot, busybox initrd), " + memory
        + " MiB memory, 1 GiB qcow2 disk (" + (diskData > 0
            ? diskData + " MiB of random bytes written before it boots, the rest sparse"
            : "sparse, nothing written") + "), 1 vCPU");
    env.put("link", "veth pair between two network namespaces, unshaped; each node a private libvirtd");
    env.put("guest network", "one virtio NIC on libvirt network `lab` (bridge ncbr0 per node, one L2 segment),"
        + " fixed MAC, DHCP from dnsmasq in novacron-c; probed from novacron-c (10.77.0.3)");
    env.put("rounds per set", runs);
    env.put("directions", "alternate".equals(directions)
        ? "alternate: odd rounds MigrateVm a->b then virsh b->a, even rounds virsh a->b then MigrateVm b->a"
        : "MigrateVm a->b, virsh b->a");
    env.put("load average before", BenchLab.loadAverage());

    // Before anything starts: without the client namespace the network column cannot be taken.
    ClientProbe.checkAvailable();
    List<Map<String, Object>> rows = new ArrayList<>();
    List<Map<String, Object>> failures = new ArrayList<>();
    try (BenchLab bench = BenchLab.start(lab, storage)) {
      String vm = "bench-" + UUID.randomUUID().toString().substring(0, 6);
      Nic nic = Nic.assign("lab", UUID.randomUUID());
      String ip = bench.createGuest(vm, memory, nic, diskData);
      env.put("guest address", ip + " (MAC " + nic.mac() + ")");
      System.out.printf(Locale.ROOT, "guest %s: MAC %s, address %s%n", vm, nic.mac(), ip);
      for (OptionSet set : SETS) {
        if (!wanted.contains(set.name())) {
          continue;
        }
        for (int round = 1; round <= runs; round++) {
          Move ours = null;
          // Every round starts and ends with the guest on a; a swapped round moves it there and
          // back the other way round.
          boolean swapped = "alternate".equals(directions) && round % 2 == 0;
          String stage = swapped ? "virsh a->b" : "MigrateVm a->b";
          try {
            Move baseline = null;
            if (swapped) {
              baseline = baseline(bench, vm, ip, set, "a", "b");
              System.out.printf(Locale.ROOT, "%-11s round %d: virsh a->b %s%n", set.name(), round, baseline);
              stage = "MigrateVm b->a (after virsh a->b)";
              ours = ours(bench, vm, ip, set, round, "b", "a");
              System.out.printf(Locale.ROOT, "%-11s round %d: MigrateVm b->a %s%n", set.name(), round, ours);
            } else {
              ours = ours(bench, vm, ip, set, round, "a", "b");
              System.out.printf(Locale.ROOT, "%-11s round %d: MigrateVm %s%n", set.name(), round, ours);
              stage = "virsh b->a (after MigrateVm a->b)";
              baseline = baseline(bench, vm, ip, set, "b", "a");
              System.out.printf(Locale.ROOT, "%-11s round %d: virsh %s%n", set.name(), round, baseline);
            }
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("set", set.name());
            row.put("round", round);
            row.put("migrateVmDirection", swapped ? "b->a" : "a->b");
            row.put("address", ip);
            row.put("migrateVm", ours);
            row.put("virshBaseline", baseline);
            rows.add(row);
          } catch (Exception e) {
            // A round that breaks the guest is a result, not a reason to lose the others: it is
            // reported (loudly, and the bench exits non-zero), and a fresh guest with the same MAC
            // (so the same lease) carries on with the next round, so that a set shows how often.
            Map<String, Object> failure = new LinkedHashMap<>();
            failure.put("set", set.name());
            failure.put("round", round);
            failure.put("stage", stage);
            failure.put("error", rootMessage(e));
            failure.put("migrateVm", ours);
            failure.put("consoleTailA", bench.consoleTail("a", vm, 8));
            failure.put("consoleTailB", bench.consoleTail("b", vm, 8));
            failures.add(failure);
            System.err.printf(Locale.ROOT, "FAILED %s round %d at %s: %s%n  lab-a console: %s%n  lab-b console: %s%n",
                set.name(), round, stage, failure.get("error"), failure.get("consoleTailA"), failure.get("consoleTailB"));
            bench.removeGuest(vm);
            vm = "bench-" + UUID.randomUUID().toString().substring(0, 6);
            String again = bench.createGuest(vm, memory, nic, diskData);
            if (!again.equals(ip)) {
              env.put("guest address", env.get("guest address") + ", then " + again);
              ip = again;
            }
          }
        }
      }
      bench.removeGuest(vm);
    }
    env.put("load average after", BenchLab.loadAverage());

    Map<String, Object> report = new LinkedHashMap<>();
    report.put("environment", env);
    report.put("summary", BenchSummary.summarize(SETS, rows));
    report.put("rounds", rows);
    report.put("failures", failures);
    Files.createDirectories(out);
    ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    Files.writeString(out.resolve("migrate.json"), json.writeValueAsString(report) + "\n");
    Files.writeString(out.resolve("migrate.md"), BenchSummary.markdown(env, SETS, report));
    System.out.println("wrote " + out.resolve("migrate.md") + " and " + out.resolve("migrate.json"));
    if (!failures.isEmpty()) {
      System.err.println(failures.size() + " round(s) failed; see the report");
      System.exit(1);
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    return m.lines().findFirst().orElse(m).strip();
  }

  /** The lab address of node {@code letter}'s libvirtd. */
  private static String address(String letter) {
    return "a".equals(letter) ? "10.77.0.1" : "10.77.0.2";
  }

  /** MigrateVm from -> to through the workflow; the guest runs on {@code to} afterwards. */
  private static Move ours(BenchLab bench, String vm, String ip, OptionSet set, int round, String from, String to)
      throws Exception {
    MigrateVmWorkflow workflow = bench.client().newWorkflowStub(MigrateVmWorkflow.class,
        WorkflowOptions.newBuilder().setTaskQueue(TaskQueues.CONTROL)
            .setWorkflowId("bench-" + set.name() + "-" + round + "-" + vm).build());
    try (ClientProbe probe = startProbe(ip, 30_000)) {
      Move move = oursMeasured(bench, vm, set, workflow, from, to);
      return withProbe(move, probe, set.mode() == MigrationMode.LIVE ? PROBE_MARGIN_MS : PROBE_MARGIN_AFTER_PAUSE_MS);
    }
  }

  private static Move oursMeasured(BenchLab bench, String vm, OptionSet set, MigrateVmWorkflow workflow,
      String from, String to) throws Exception {
    long tx = bench.txBytes(from);
    long start = System.nanoTime();
    long startedAt = System.currentTimeMillis();
    MigrateVmResult result = workflow.migrate(new MigrateVmRequest(vm, "lab-" + from, "lab-" + to, set.mode(),
        set.options()));
    long total = (System.nanoTime() - start) / 1_000_000;
    Timing timing = timing(bench, workflow, startedAt, startedAt + total);
    // The transfer engine's streams (warm, cold, live pre-copy) run between the agents in this
    // JVM, over loopback: its own count is added to what libvirt put on the veth.
    long wire = bench.txBytes(from) - tx + Math.max(0, result.bytesOnWire());
    bench.awaitRunning(to, vm);
    return new Move(total, result.downtimeMs(), wire, null, timing);
  }

  /** The run's phase timeline (its status query) and its history's tasks, taken after the result. */
  private static Timing timing(BenchLab bench, MigrateVmWorkflow workflow, long startMs, long endMs) {
    String id = WorkflowStub.fromTyped(workflow).getExecution().getWorkflowId();
    RunStatus status = workflow.status();
    List<PhaseEvent> timeline = status == null ? List.of() : status.timeline();
    WorkflowExecutionHistory history = bench.client().fetchHistory(id);
    if (histories != null) {
      try {
        Files.createDirectories(histories);
        Files.writeString(histories.resolve(id + ".json"), history.toJson(true));
      } catch (java.io.IOException e) {
        System.err.println("history of " + id + " not written: " + e.getMessage());
      }
    }
    return new Timing(PhaseBreakdown.phases(startMs, timeline, endMs), PhaseBreakdown.tasks(HistorySpans.of(history)));
  }

  /** Plain virsh from -> to, probed like MigrateVm's move. */
  private static Move baseline(BenchLab bench, String vm, String ip, OptionSet set, String from, String to)
      throws Exception {
    // After a cold move the guest boots again on b before it answers: up to 2 minutes.
    try (ClientProbe probe = startProbe(ip, set.mode() == MigrationMode.COLD ? 120_000 : 30_000)) {
      return withProbe(baselineMeasured(bench, vm, from, to), probe, PROBE_MARGIN_MS); // virsh: always live
    }
  }

  /** A probe on the guest's echo port whose echoes have flowed for {@link #PROBE_MARGIN_MS}. */
  private static ClientProbe startProbe(String ip, long connectWithinMs) throws Exception {
    ClientProbe probe = ClientProbe.start(ip, connectWithinMs);
    Thread.sleep(PROBE_MARGIN_MS);
    return probe;
  }

  /** Lets echoes flow for {@code marginMs} after the move, then stops the probe. */
  private static Move withProbe(Move move, ClientProbe probe, long marginMs) throws Exception {
    Thread.sleep(marginMs);
    ProbeReport net = probe.finish();
    return new Move(move.totalMs(), move.downtimeMs(), move.wireBytes(), net, move.timing());
  }

  /** Plain virsh from -> to, with the same disk and XML preparation MigrateVm does. */
  private static Move baselineMeasured(BenchLab bench, String vm, String from, String to) throws Exception {
    MigrationSource source = bench.node(from).migration().describeSource(vm);
    MigrationTarget target = bench.node(to).migration().prepareTarget(new TargetRequest(source, true));
    Path xml = Files.createTempFile("bench-dest-", ".xml");
    Files.writeString(xml, target.destXml());
    long tx = bench.txBytes(from);
    long start = System.nanoTime();
    BenchLab.Result r = BenchLab.run("virsh", "-c", bench.node(from).uri(), "migrate", "--live", "--p2p",
        "--persistent", "--undefinesource", "--copy-storage-all", "--unsafe", "--xml", xml.toString(),
        "--persistent-xml", xml.toString(), vm, "qemu+tcp://" + address(to) + "/system");
    long total = (System.nanoTime() - start) / 1_000_000;
    long wire = bench.txBytes(from) - tx;
    Files.deleteIfExists(xml);
    if (r.exitCode() != 0) {
      throw new IllegalStateException("virsh migrate failed: " + r.output());
    }
    long downtime = bench.node(to).migration().completedJob(vm).downtimeMs();
    bench.node(from).host().deleteDisk(vm);
    bench.awaitRunning(to, vm);
    return new Move(total, downtime, wire);
  }
}
