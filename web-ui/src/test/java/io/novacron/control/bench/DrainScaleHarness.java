package io.novacron.control.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * The drain benchmark's harness ({@link DrainScaleBench}, and its CI subset {@link DrainScaleTest}).
 * The orchestration cost of draining: {@code novacron.bench.vms} VMs (200) on the first
 * {@code novacron.bench.sources} (2) of {@code novacron.bench.nodes} nodes (20), drained at once
 * with a DrainNode run each through the REST API.
 * Everything is the product's code (REST, PostgreSQL, placement, DrainNode, MigrateVm with its
 * slot keeper and settlement, the host agents' activities and transfer engines) on libvirt's test
 * driver: real libvirt calls on one private simulated hypervisor per node, no guests. The test
 * driver cannot migrate a running domain, so the drain runs cold moves (shut down, copy the disk
 * through the transfer engine, define and start on the target); a live drain's libvirt migration
 * is what the lab measures (docs/bench/migrate.md). Temporal is the SDK's in-process test server.
 *
 */
@org.springframework.test.annotation.DirtiesContext(
    classMode = org.springframework.test.annotation.DirtiesContext.ClassMode.AFTER_CLASS)
abstract class DrainScaleHarness extends ControlPlaneTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  /**
   * What to drain.
   *
   * @param nodes test-driver nodes
   * @param vms VMs, spread over the sources
   * @param parallel moves at once per drain (the slot limits are set to it per source)
   * @param sources nodes drained at once, each holding its share of the VMs: the test driver's
   *     storage pool holds 100 GiB, so a node takes at most 100 one-GiB disks
   * @param out where drain.md and drain.json go
   */
  record Scale(int nodes, int vms, int parallel, int sources, Path out) {}

  @LocalServerPort int port;
  @Autowired WorkflowClient temporal;
  @Autowired JdbcClient jdbc;
  private String token;

  /**
   * The cluster's migration limits as an operator of a bigger fleet would set them, and a Temporal
   * namespace of its own: this context's limits differ from the other tests', so Spring makes it a
   * context of its own, and the other contexts' orchestrator workers (cached, polling the same test
   * server) must not take its workflows.
   */
  static void slots(DynamicPropertyRegistry registry, Scale scale) {
    registry.add("novacron.temporal.namespace", () -> "drain-scale");
    registry.add("novacron.migration.max-per-source-node", scale::parallel);
    registry.add("novacron.migration.max-per-cluster", () -> scale.parallel() * scale.sources());
  }

  /** Provisions, drains, checks and reports; fails when any check fails. */
  void drain(Scale scale) throws Exception {
    int nodeCount = scale.nodes();
    int vmCount = scale.vms();
    int parallel = scale.parallel();
    int sourceCount = scale.sources();
    token = tokenFor(Role.OPERATOR);
    Path work = Files.createTempDirectory("novacron-drain-bench");
    List<TestDriverNode> nodes = new ArrayList<>();
    try {
      for (int i = 0; i < nodeCount; i++) {
        nodes.add(new TestDriverNode(temporal, String.format("dn-%02d", i), work.resolve("n" + i), 64, 65536));
      }
      TestDriverNode.awaitAnnounced(jdbc, "dn-", nodeCount);
      List<String> sources = nodes.subList(0, sourceCount).stream().map(TestDriverNode::name).toList();

      long provisionStart = System.nanoTime();
      List<String> provisions = new ArrayList<>();
      for (int i = 0; i < vmCount; i++) {
        HttpResponse<String> created = post("/api/v1/vms", Map.of("name", vm(i), "vcpus", 1, "memoryMib", 128,
            "diskGib", 1, "node", sources.get(i % sourceCount)));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
        provisions.add(JSON.readTree(created.body()).get("runId").asText());
      }
      awaitRuns(provisions, Duration.ofMinutes(30));
      double provisionSeconds = (System.nanoTime() - provisionStart) / 1e9;
      // The test driver keeps volumes in memory: the files their paths name, for the transfer engine to copy.
      for (String path : jdbc.sql("select disk_path from vms where node in (:n)").param("n", sources)
          .query(String.class).list()) {
        Process create = new ProcessBuilder("qemu-img", "create", "-q", "-f", "qcow2", path, "1G").start();
        assertThat(create.waitFor()).isZero();
      }

      System.gc();
      long heapBefore = heapUsed();
      ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP)
          .forEach(MemoryPoolMXBean::resetPeakUsage);
      AtomicInteger peakMoving = new AtomicInteger();
      AtomicInteger peakMigrating = new AtomicInteger();
      AtomicLong peakSampledHeap = new AtomicLong();
      List<String> drainRuns = new java.util.concurrent.CopyOnWriteArrayList<>();
      Thread sampler = new Thread(() -> {
        while (!Thread.currentThread().isInterrupted()) {
          try {
            if (!drainRuns.isEmpty()) {
              peakMoving.accumulateAndGet(jdbc.sql("select count(*) from run_items where run_id in (:ids) and state = 'moving'")
                  .param("ids", List.copyOf(drainRuns)).query(Integer.class).single(), Math::max);
            }
            peakMigrating.accumulateAndGet(jdbc.sql(
                "select count(*) from runs where type = 'MigrateVm' and state = 'RUNNING' and ended_at is null")
                .query(Integer.class).single(), Math::max);
            peakSampledHeap.accumulateAndGet(heapUsed(), Math::max);
            Thread.sleep(100);
          } catch (InterruptedException e) {
            return;
          } catch (RuntimeException e) {
            // a sample lost; the next one counts
          }
        }
      });
      sampler.start();
      // Every source cordoned first, so that no drain moves VMs onto another node being drained.
      for (String source : sources) {
        assertThat(post("/api/v1/nodes/" + source + "/cordon", Map.of("reason", "bench")).statusCode()).isEqualTo(200);
      }
      long drainStart = System.nanoTime();
      for (String source : sources) {
        HttpResponse<String> drain = post("/api/v1/nodes/" + source + "/drain",
            Map.of("mode", "cold", "parallel", parallel));
        assertThat(drain.statusCode()).as(drain.body()).isEqualTo(202);
        drainRuns.add(JSON.readTree(drain.body()).get("runId").asText());
      }
      List<JsonNode> ended = new ArrayList<>();
      for (String run : drainRuns) {
        ended.add(awaitEnd(run, Duration.ofMinutes(60)));
      }
      double drainSeconds = (System.nanoTime() - drainStart) / 1e9;
      sampler.interrupt();
      sampler.join();
      long peakHeap = ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP)
          .mapToLong(p -> p.getPeakUsage().getUsed()).sum();
      System.gc();
      long heapAfter = heapUsed();

      for (JsonNode run : ended) {
        assertThat(run.get("state").asText()).as(run.toString()).isEqualTo("SUCCEEDED");
      }
      for (TestDriverNode source : nodes.subList(0, sourceCount)) {
        assertThat(source.domains()).as(source.name() + ", drained, is empty").isEmpty();
      }
      Map<String, Integer> perNode = new TreeMap<>();
      for (int i = 0; i < vmCount; i++) {
        int copies = 0;
        for (TestDriverNode node : nodes) {
          if (node.runs(vm(i))) {
            copies++;
            perNode.merge(node.name(), 1, Integer::sum);
          }
        }
        assertThat(copies).as(vm(i) + ": exactly one running copy").isEqualTo(1);
      }
      assertThat(jdbc.sql("select count(*) from vms where node in (:n)").param("n", sources).query(Long.class).single())
          .isZero();
      assertThat(jdbc.sql("select count(*) from run_items where run_id in (:ids) and state = 'moved'")
          .param("ids", drainRuns).query(Long.class).single()).isEqualTo(vmCount);
      List<Double> moveSeconds = jdbc.sql("""
              select extract(epoch from (r.ended_at - r.started_at)) from runs r
              join run_items i on i.child_run = r.id where i.run_id in (:ids) order by 1""")
          .param("ids", drainRuns).query(Double.class).list();
      assertThat(peakMigrating.get()).as("the cluster's migration limit holds").isLessThanOrEqualTo(parallel * sourceCount);

      ObjectNode report = JSON.createObjectNode();
      report.put("date", Instant.now().toString());
      report.put("nodes", nodeCount);
      report.put("vms", vmCount);
      report.put("parallel", parallel);
      report.put("drained_nodes", sourceCount);
      report.put("provision_seconds", provisionSeconds);
      report.put("drain_seconds", drainSeconds);
      report.put("moves_per_second", vmCount / drainSeconds);
      report.put("peak_moving_items", peakMoving.get());
      report.put("peak_running_migrations", peakMigrating.get());
      report.put("move_seconds_p50", percentile(moveSeconds, 0.50));
      report.put("move_seconds_p95", percentile(moveSeconds, 0.95));
      report.put("move_seconds_max", percentile(moveSeconds, 1.0));
      report.put("heap_before_mib", heapBefore / 1048576.0);
      report.put("heap_peak_mib", peakHeap / 1048576.0);
      report.put("heap_peak_sampled_mib", peakSampledHeap.get() / 1048576.0);
      report.put("heap_after_mib", heapAfter / 1048576.0);
      report.put("max_heap_mib", Runtime.getRuntime().maxMemory() / 1048576.0);
      report.set("vms_per_target", JSON.valueToTree(perNode));
      report.put("cpus", Runtime.getRuntime().availableProcessors());
      report.put("load_average", Files.readString(Path.of("/proc/loadavg")).strip());
      report.put("libvirt", libvirtVersion());
      write(report, scale.out());
    } finally {
      for (TestDriverNode node : nodes) {
        node.close();
      }
    }
  }

  private static String vm(int i) {
    return String.format("dv-%03d", i);
  }

  private static long heapUsed() {
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static double percentile(List<Double> sorted, double q) {
    if (sorted.isEmpty()) {
      return Double.NaN;
    }
    int index = (int) Math.ceil(q * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
  }

  private void awaitRuns(List<String> runIds, Duration limit) throws Exception {
    long deadline = System.nanoTime() + limit.toNanos();
    while (System.nanoTime() < deadline) {
      List<String> states = jdbc.sql("select state from runs where id in (:ids)").param("ids", runIds)
          .query(String.class).list();
      long done = states.stream().filter(s -> s.equals("SUCCEEDED")).count();
      assertThat(states).as("no provisioning failed").doesNotContain("FAILED", "CANCELLED");
      if (done == runIds.size()) {
        return;
      }
      Thread.sleep(500);
    }
    throw new AssertionError("provisioning did not end within " + limit);
  }

  private JsonNode awaitEnd(String runId, Duration limit) throws Exception {
    long deadline = System.nanoTime() + limit.toNanos();
    while (System.nanoTime() < deadline) {
      JsonNode run = JSON.readTree(get("/api/v1/runs/" + runId).body());
      if (List.of("SUCCEEDED", "FAILED", "CANCELLED").contains(run.path("state").asText())) {
        return run;
      }
      Thread.sleep(500);
    }
    throw new AssertionError("run " + runId + " did not end within " + limit);
  }

  private HttpResponse<String> post(String path, Object body) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String libvirtVersion() {
    try {
      Process p = new ProcessBuilder("virsh", "--version").redirectErrorStream(true).start();
      return new String(p.getInputStream().readAllBytes()).strip();
    } catch (Exception e) {
      return "unknown";
    }
  }

  private static void write(ObjectNode r, Path out) throws Exception {
    Files.createDirectories(out);
    Files.writeString(out.resolve("drain.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(r) + "\n");
    String md = String.format(Locale.ROOT, """
        # Drain benchmark

        `novacron bench drain` (`starter/scripts/bench-drain.sh`, `DrainScaleBench`; CI runs `DrainScaleTest`, 12 VMs on 5 nodes): %d VMs on the
        first %d of %d nodes, both cordoned, then drained at once with one DrainNode run each through
        the REST API (`"mode":"cold","parallel":%d`; the cluster's migration limits set to %d per
        source and %d in the cluster) onto the other nodes. Two sources because the test driver's
        storage pool holds 100 GiB: a node takes at most 100 one-GiB disks. Raw numbers:
        [drain.json](drain.json).

        **What is real and what is not.** Everything is the product's code: REST, PostgreSQL,
        placement, DrainNode, MigrateVm with its slot keeper and settlement, the host agents'
        activities and transfer engines. The nodes are libvirt's test driver (real libvirt calls,
        one private simulated hypervisor per node through a `test:///<file>` URI, no guests), since
        twenty real hypervisors do not fit on this machine. The test driver cannot migrate a running
        domain, so the moves are cold (shut down, copy the disk through the transfer engine, define
        and start on the target); a disk is a small qcow2 file. The agents run in the benchmark's
        JVM next to the control plane, so the heap figures are the control plane's plus twenty
        agents'. Temporal is the Java SDK's in-process test server, not a Temporal cluster.

        | | |
        |---|---|
        | date | %s |
        | cpu | %d cores visible, load average after: %s |
        | libvirt | %s |
        | VMs, nodes | %d VMs, %d nodes (64 CPUs, 64 GiB each) |
        | provisioning all VMs onto the drained nodes | %.1f s |
        | **drain wall time** (both drains, first start to last end) | **%.1f s** (%.2f moves/s) |
        | peak concurrent moves | %d VMs moving in the drains, %d MigrateVm runs RUNNING (sampled every 100 ms) |
        | one move (MigrateVm run, queue included) p50 / p95 / max | %.1f / %.1f / %.1f s |
        | JVM heap before the drain (after GC) | %.0f MiB |
        | JVM heap peak during the drain | %.0f MiB (pools' peak), %.0f MiB (sampled) of %.0f MiB max |
        | JVM heap after the drain (after GC) | %.0f MiB |
        | VMs per target node | %s |

        Checked after the drain (the benchmark fails otherwise): the runs SUCCEEDED, the drained
        nodes' hypervisors have no domain, every VM runs on exactly one node (each node's libvirt
        asked), the inventory has no VM on the drained nodes, every item of the runs is `moved`, and
        the running migrations never exceeded the cluster's limit.
        """,
        r.get("vms").asInt(), r.get("drained_nodes").asInt(), r.get("nodes").asInt(), r.get("parallel").asInt(),
        r.get("parallel").asInt(), r.get("parallel").asInt() * r.get("drained_nodes").asInt(), r.get("date").asText(), r.get("cpus").asInt(), r.get("load_average").asText(),
        r.get("libvirt").asText(), r.get("vms").asInt(), r.get("nodes").asInt(), r.get("provision_seconds").asDouble(),
        r.get("drain_seconds").asDouble(), r.get("moves_per_second").asDouble(), r.get("peak_moving_items").asInt(),
        r.get("peak_running_migrations").asInt(), r.get("move_seconds_p50").asDouble(),
        r.get("move_seconds_p95").asDouble(), r.get("move_seconds_max").asDouble(), r.get("heap_before_mib").asDouble(),
        r.get("heap_peak_mib").asDouble(), r.get("heap_peak_sampled_mib").asDouble(), r.get("max_heap_mib").asDouble(),
        r.get("heap_after_mib").asDouble(), r.get("vms_per_target").toString());
    Files.writeString(out.resolve("drain.md"), md);
  }
}
