package io.novacron.control.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.novacron.control.ControlPlaneTest;
import io.novacron.control.security.Role;
import io.temporal.client.WorkflowClient;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The provisioning scale run ({@code novacron bench scale}, docs/bench/scale.md, and its CI subset
 * {@link ProvisionScaleTest}): {@link Scale#vms} ProvisionVm runs sent at once through the REST
 * API, placement choosing among {@link Scale#nodes} host agents on libvirt's test driver. Fails
 * unless every run SUCCEEDED and every VM runs on exactly one node's hypervisor. Same set-up as the
 * drain benchmark: the product's control plane and the agents' real activities in one JVM,
 * Temporal the SDK's in-process test server (or {@link #TEMPORAL_TARGET}).
 */
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
abstract class ProvisionScaleHarness extends ControlPlaneTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * A run's size: {@code vms} runs from {@code senders} client threads onto {@code nodes} test-driver
   * nodes; the report (scale.json/.md, or scale-cluster.* against a real server) goes to {@code out}.
   */
  record Scale(int nodes, int vms, int senders, Path out) {}
  /** Where Temporal runs: {@link #TEMPORAL_TARGET}, blank for the in-process test server (scale.md), else scale-cluster.md. */
  private static final String TEMPORAL = TEMPORAL_TARGET;

  @LocalServerPort int port;
  @Autowired WorkflowClient temporal;
  @Autowired JdbcClient jdbc;

  /** A namespace of its own, so that other cached contexts' workers never take its workflows. */
  @DynamicPropertySource
  static void namespace(DynamicPropertyRegistry registry) {
    registry.add("novacron.temporal.namespace", () -> "provision-scale");
  }

  /** Sends {@code scale}'s runs, waits for them all, checks each VM runs once and writes the report. */
  void provision(Scale scale) throws Exception {
    String token = tokenFor(Role.OPERATOR);
    Path work = Files.createTempDirectory("novacron-scale-bench");
    List<TestDriverNode> nodes = new ArrayList<>();
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    try {
      for (int i = 0; i < scale.nodes(); i++) {
        nodes.add(new TestDriverNode(temporal, String.format("sn-%02d", i), work.resolve("n" + i), 64, 65536));
      }
      TestDriverNode.awaitAnnounced(jdbc, "sn-", scale.nodes());

      var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
      System.gc();
      long heapBefore = heapUsed();
      ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP)
          .forEach(MemoryPoolMXBean::resetPeakUsage);
      long cpuBefore = os.getProcessCpuTime();
      Map<String, Instant> sentAt = new ConcurrentHashMap<>();
      Map<String, String> runOf = new ConcurrentHashMap<>();
      AtomicLong acceptMicros = new AtomicLong();
      Instant start = Instant.now();
      ExecutorService senders = Executors.newFixedThreadPool(scale.senders());
      List<Future<?>> sends = new ArrayList<>();
      for (int i = 0; i < scale.vms(); i++) {
        String vm = String.format("sv-%03d", i);
        sends.add(senders.submit(() -> {
          sentAt.put(vm, Instant.now());
          long t0 = System.nanoTime();
          HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/vms"))
              .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("name", vm, "vcpus", 1,
                  "memoryMib", 128, "diskGib", 1)))).build(), HttpResponse.BodyHandlers.ofString());
          acceptMicros.accumulateAndGet((System.nanoTime() - t0) / 1000, Math::max);
          assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
          runOf.put(vm, JSON.readTree(created.body()).get("runId").asText());
          return null;
        }));
      }
      for (Future<?> send : sends) {
        send.get();
      }
      senders.shutdown();
      long peakSampledHeap = awaitRuns(List.copyOf(runOf.values()), Duration.ofMinutes(30));
      Instant end = Instant.now();
      long cpuNanos = os.getProcessCpuTime() - cpuBefore;
      long peakHeap = ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP)
          .mapToLong(p -> p.getPeakUsage().getUsed()).sum();
      System.gc();
      long heapAfter = heapUsed();

      // Lost: a run that did not succeed, a VM not running, or running on more than one node.
      long succeeded = jdbc.sql("select count(*) from runs where id in (:ids) and state = 'SUCCEEDED'")
          .param("ids", List.copyOf(runOf.values())).query(Long.class).single();
      assertThat(succeeded).as("ProvisionVm runs SUCCEEDED").isEqualTo(scale.vms());
      int lost = 0;
      for (String vm : runOf.keySet()) {
        int copies = 0;
        for (TestDriverNode node : nodes) {
          copies += node.runs(vm) ? 1 : 0;
        }
        lost += copies == 1 ? 0 : 1;
      }
      assertThat(lost).as("VMs not running on exactly one node").isZero();

      List<Double> endToEnd = new ArrayList<>();
      List<Long> historyBytes = new ArrayList<>();
      List<Long> historyEvents = new ArrayList<>();
      for (Map.Entry<String, String> entry : runOf.entrySet()) {
        Timestamp ended = jdbc.sql("select ended_at from runs where id = :id").param("id", entry.getValue())
            .query(Timestamp.class).single();
        endToEnd.add(Duration.between(sentAt.get(entry.getKey()), ended.toInstant()).toMillis() / 1000.0);
        var history = temporal.fetchHistory(entry.getValue()).getHistory();
        historyBytes.add((long) history.getSerializedSize());
        historyEvents.add((long) history.getEventsCount());
      }
      endToEnd.sort(null);
      historyBytes.sort(null);
      historyEvents.sort(null);
      double wall = Duration.between(start, end).toMillis() / 1000.0;

      ObjectNode report = JSON.createObjectNode();
      report.put("date", Instant.now().toString());
      report.put("temporal", TEMPORAL.isBlank() ? "in-process test server" : TEMPORAL);
      report.put("nodes", scale.nodes());
      report.put("vms", scale.vms());
      report.put("senders", scale.senders());
      report.put("succeeded", succeeded);
      report.put("lost", lost);
      report.put("wall_seconds", wall);
      report.put("runs_per_second", scale.vms() / wall);
      report.put("accept_ms_max", acceptMicros.get() / 1000.0);
      report.put("end_to_end_seconds_p50", percentile(endToEnd, 0.50));
      report.put("end_to_end_seconds_p95", percentile(endToEnd, 0.95));
      report.put("end_to_end_seconds_max", percentile(endToEnd, 1.0));
      report.put("cpu_seconds", cpuNanos / 1e9);
      report.put("cpu_cores_average", cpuNanos / 1e9 / wall);
      report.put("heap_before_mib", heapBefore / 1048576.0);
      report.put("heap_peak_mib", peakHeap / 1048576.0);
      report.put("heap_peak_sampled_mib", peakSampledHeap / 1048576.0);
      report.put("heap_after_mib", heapAfter / 1048576.0);
      report.put("max_heap_mib", Runtime.getRuntime().maxMemory() / 1048576.0);
      report.put("history_bytes_p50", percentile(historyBytes, 0.50));
      report.put("history_bytes_max", percentile(historyBytes, 1.0));
      report.put("history_bytes_total", historyBytes.stream().mapToLong(Long::longValue).sum());
      report.put("history_events_p50", percentile(historyEvents, 0.50));
      report.put("cpus", Runtime.getRuntime().availableProcessors());
      report.put("load_average", Files.readString(Path.of("/proc/loadavg")).strip());
      write(report, scale.out());
    } finally {
      for (TestDriverNode node : nodes) {
        node.close();
      }
    }
  }

  /** Waits until every run ended; the peak heap sampled meanwhile. */
  private long awaitRuns(List<String> runIds, Duration limit) throws Exception {
    long deadline = System.nanoTime() + limit.toNanos();
    long peak = 0;
    while (System.nanoTime() < deadline) {
      peak = Math.max(peak, heapUsed());
      long open = jdbc.sql("select count(*) from runs where id in (:ids) and ended_at is not null")
          .param("ids", runIds).query(Long.class).single();
      if (open == runIds.size()) {
        return peak;
      }
      Thread.sleep(250);
    }
    throw new AssertionError("the provisioning runs did not all end within " + limit);
  }

  private static long heapUsed() {
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static <T extends Number> double percentile(List<T> sorted, double q) {
    if (sorted.isEmpty()) {
      return Double.NaN;
    }
    int index = (int) Math.ceil(q * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index))).doubleValue();
  }

  private static void write(ObjectNode r, Path out) throws Exception {
    Files.createDirectories(out);
    String name = TEMPORAL.isBlank() ? "scale" : "scale-cluster";
    Files.writeString(out.resolve(name + ".json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(r) + "\n");
    String temporal = TEMPORAL.isBlank()
        ? "Temporal is the Java SDK's in-process test server, not\na Temporal cluster; history sizes are the runs' serialized histories there."
        : "Temporal is the **real server** at `" + TEMPORAL + "`: `novacron cluster up`'s v1.32.2 as four\n"
            + "processes (frontend, history, matching, worker) on PostgreSQL 15 with mutual TLS, on the same\n"
            + "machine; its CPU is not in the process figures below. The control plane's inventory is its\n"
            + "embedded PostgreSQL, as in the in-process run ([scale.md](scale.md)).";
    String md = String.format(Locale.ROOT, """
        # Provisioning at scale

        `novacron bench scale` (`starter/scripts/bench-scale.sh`, `ProvisionScaleBench`): %d ProvisionVm
        runs sent at once through the REST API (`POST /api/v1/vms` from %d client threads, no node
        named: placement chooses) onto %d nodes. Raw numbers: [%s.json](%s.json).

        **What is real and what is not.** The libvirt driver is the **test driver** (`test:///default`'s
        driver, one private simulated hypervisor per node through a `test:///<file>` URI, since
        `test:///default` is one host shared by every connection of a process): real libvirt calls,
        **no guests run**. Everything else is the product's code: REST, PostgreSQL, placement and
        reservations, ProvisionVm, the host agents' activities (disk, domain define and start). The
        agents run in the benchmark's JVM next to the control plane, so the heap and CPU figures are
        the control plane's plus %d agents'. %s

        | | |
        |---|---|
        | date | %s |
        | cpu | %d cores visible, load average after: %s |
        | runs | %d sent, %d SUCCEEDED, **%d lost** (a run not SUCCEEDED, or its VM not running on exactly one node) |
        | wall time, first POST to last run's end | %.1f s (**%.2f runs/s**) |
        | slowest 202 Accepted | %.0f ms |
        | end to end per run (POST sent to run ended) p50 / p95 / max | **%.1f / %.1f** / %.1f s |
        | process CPU during the runs | %.1f s (%.2f cores on average) |
        | JVM heap before (after GC) / peak (pools) / peak (sampled) / after (after GC) | %.0f / %.0f / %.0f / %.0f MiB of %.0f MiB max |
        | Temporal history per run p50 / max | %.0f / %.0f bytes (%.0f events p50); %.1f MiB for all runs |

        Checked (the benchmark fails otherwise): every run SUCCEEDED and every VM runs on exactly one
        node's hypervisor (each node's libvirt asked).
        """,
        r.get("vms").asInt(), r.get("senders").asInt(), r.get("nodes").asInt(), name, name, r.get("nodes").asInt(), temporal,
        r.get("date").asText(),
        r.get("cpus").asInt(), r.get("load_average").asText(), r.get("vms").asInt(), r.get("succeeded").asLong(),
        r.get("lost").asInt(), r.get("wall_seconds").asDouble(), r.get("runs_per_second").asDouble(),
        r.get("accept_ms_max").asDouble(), r.get("end_to_end_seconds_p50").asDouble(),
        r.get("end_to_end_seconds_p95").asDouble(), r.get("end_to_end_seconds_max").asDouble(),
        r.get("cpu_seconds").asDouble(), r.get("cpu_cores_average").asDouble(), r.get("heap_before_mib").asDouble(),
        r.get("heap_peak_mib").asDouble(), r.get("heap_peak_sampled_mib").asDouble(), r.get("heap_after_mib").asDouble(),
        r.get("max_heap_mib").asDouble(), r.get("history_bytes_p50").asDouble(), r.get("history_bytes_max").asDouble(),
        r.get("history_events_p50").asDouble(), r.get("history_bytes_total").asDouble() / 1048576.0);
    Files.writeString(out.resolve(name + ".md"), md);
  }
}
