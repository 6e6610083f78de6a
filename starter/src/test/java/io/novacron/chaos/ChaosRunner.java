package io.novacron.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.novacron.chaos.ChaosCase.Fault;
import io.novacron.chaos.ChaosCase.Phase;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs one case of the matrix on the real stack: starts a migration through the REST API, waits
 * for the case's moment, kills its process (SIGKILL) and restarts it as it was started, or cancels
 * the run, waits until the run has ended, then checks with virsh, qemu-img, the consoles and the
 * REST API that the VM runs exactly once, intact, where the inventory says, and that the node it
 * left holds nothing of it.
 */
final class ChaosRunner {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Caps that make each phase last seconds on this machine, so that the moment can be hit. */
  private static final int LIVE_MIBPS = 8;
  /**
   * live-mirror's cap: libvirt's mirror pays for the disk's whole 1 GiB virtual size at it (16 s),
   * then the memory copy follows; 8 MiB/s would hold each case two minutes in the mirror.
   */
  private static final int MIRROR_MIBPS = 64;
  private static final int OFFLINE_MIBPS = 4;

  private final ChaosStack stack;
  private final LabView lab;
  private final RunWatch runs;

  ChaosRunner(ChaosStack stack, LabView lab) {
    this.stack = stack;
    this.lab = lab;
    this.runs = new RunWatch(stack);
  }

  CaseResult run(ChaosCase c, ChaosGuest guest) throws Exception {
    String vm = guest.name;
    List<String> running = lab.runningOn(vm);
    if (running.size() != 1) {
      throw new IllegalStateException(vm + " runs on " + running + " before " + c.id());
    }
    String source = running.get(0);
    String target = source.equals("lab-a") ? "lab-b" : "lab-a";
    long heartbeatBefore = lab.lastHeartbeat(source, vm);
    int bootsBefore = lab.boots(source, vm);

    String runId = startMigration(vm, target, c.mode());
    long start = System.nanoTime();
    boolean reached = trigger(c, runId, vm, source);
    long faultAt = System.nanoTime();
    long cancelLatencyMs = -1;
    String what;
    if (!reached) {
      what = "the run ended before " + c.phase().id;
    } else if (c.fault() == Fault.CANCEL) {
      cancelLatencyMs = cancel(runId, vm, source, c);
      what = "cancelled" + (cancelLatencyMs >= 0 ? ", abort reached libvirt in " + cancelLatencyMs + " ms" : "");
    } else {
      what = stack.killAndRestart(c.fault().process(source, target));
    }
    JsonNode ended = runs.awaitEnd(runId);
    double settleSeconds = (System.nanoTime() - faultAt) / 1e9;
    // The guest needs a moment to print heartbeats where it now runs.
    Thread.sleep(2500);
    List<Check> checks = check(c, guest, source, target, ended, heartbeatBefore, bootsBefore);
    return new CaseResult(c, runId, RunWatch.state(ended), RunWatch.headline(ended), where(vm, source, target),
        what, settleSeconds,
        (faultAt - start) / 1e9, cancelLatencyMs, checks);
  }

  private String startMigration(String vm, String target, String mode) throws Exception {
    boolean live = ChaosCase.live(mode);
    int cap = mode.equals("live-mirror") ? MIRROR_MIBPS : live ? LIVE_MIBPS : OFFLINE_MIBPS;
    Map<String, Object> options = new HashMap<>(Map.of("bandwidthMiBps", cap, "shutdownTimeoutSeconds", 2));
    if (live) {
      // Said either way: the lab guest's small disk would not be pre-copied by default.
      options.put("precopyDisk", mode.equals("live"));
    }
    HttpResponse<String> r = stack.post("/api/v1/migrations", Map.of("vmName", vm, "targetNode", target,
        "mode", live ? "live" : mode, "options", options));
    if (r.statusCode() != 202) {
      throw new IllegalStateException("migration of " + vm + " refused: " + r.statusCode() + " " + r.body());
    }
    return JSON.readTree(r.body()).get("runId").asText();
  }

  /**
   * Waits for the case's moment. Live transfer and switch-over are timed from libvirt's own job
   * statistics on the source; the rest from the run's phases as the REST API reports them.
   *
   * @return false when the run ended before the moment came
   */
  private boolean trigger(ChaosCase c, String runId, String vm, String source) throws Exception {
    boolean live = ChaosCase.live(c.mode());
    return switch (c.phase()) {
      case PRECOPY -> runs.awaitPhase(runId, "precopy-disk") && RunWatch.pause(700);
      // Into the save or the ACPI shutdown, not at its start: the agent has begun the step.
      case STOP -> runs.awaitPhase(runId, c.mode().equals("warm") ? "suspend" : "shutdown") && RunWatch.pause(300);
      case TRANSFER -> live ? awaitJob(vm, source, 0.5) : runs.awaitPhase(runId, "transfer") && RunWatch.pause(1500);
      case SWITCHOVER -> live ? awaitJob(vm, source, 0.0) && awaitJobEnd(vm, source)
          : runs.awaitPhase(runId, c.mode().equals("warm") ? "resume" : "start-on-target");
      case VERIFY -> runs.awaitPhase(runId, "verify");
      case CLEANUP -> runs.awaitPhase(runId, "cleanup-source");
      case PREPARE, DEFINE, START -> throw new IllegalArgumentException(c.id() + " is no migration case");
    };
  }

  /** libvirt's outgoing job has processed {@code fraction} of its data. */
  private boolean awaitJob(String vm, String source, double fraction) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
    while (System.nanoTime() < deadline) {
      long[] job = lab.job(source, vm);
      if (job != null && job[1] > 0 && job[0] >= fraction * job[1]) {
        return true;
      }
      if (job == null && !"running".equals(lab.domstate(source, vm)) && !"paused".equals(lab.domstate(source, vm))) {
        return false;
      }
      Thread.sleep(20);
    }
    return false;
  }

  /** The outgoing job has ended: libvirt reports the migration complete (or failed). */
  private boolean awaitJobEnd(String vm, String source) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
    while (System.nanoTime() < deadline) {
      if (lab.job(source, vm) == null) {
        return true;
      }
      Thread.sleep(10);
    }
    return false;
  }

  /**
   * Cancels through the REST API, as the run page's Cancel does. With a libvirt job running on
   * the source, returns the milliseconds from the request to the job's end there.
   */
  private long cancel(String runId, String vm, String source, ChaosCase c) throws Exception {
    boolean job = lab.job(source, vm) != null;
    long sent = System.nanoTime();
    HttpResponse<String> r = stack.post("/api/v1/runs/" + runId + "/cancel", Map.of());
    if (r.statusCode() != 202) {
      return -1;
    }
    if (!job) {
      return -1;
    }
    long deadline = sent + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      if (lab.job(source, vm) == null) {
        return (System.nanoTime() - sent) / 1_000_000;
      }
      Thread.sleep(5);
    }
    return -1;
  }

  private String where(String vm, String source, String target) throws Exception {
    List<String> running = lab.runningOn(vm);
    if (running.size() == 2) {
      return "TWO COPIES";
    }
    if (running.isEmpty()) {
      return "NO COPY";
    }
    return running.get(0).equals(target) ? "moved" : "rolled back";
  }

  private List<Check> check(ChaosCase c, ChaosGuest guest, String source, String target, JsonNode ended,
      long heartbeatBefore, int bootsBefore) throws Exception {
    String vm = guest.name;
    List<Check> checks = new ArrayList<>();
    List<String> running = lab.runningOn(vm);
    checks.add(new Check("one running copy", running.size() == 1, "virsh: running on " + running));
    if (running.size() != 1) {
      return checks;
    }
    String node = running.get(0);
    String other = node.equals(source) ? target : source;
    boolean keepsMemory = !c.mode().equals("cold") || node.equals(source) && !touchedSource(ended);
    if (keepsMemory) {
      long heartbeat = lab.lastHeartbeat(node, vm);
      int boots = lab.boots(node, vm);
      int expectedBoots = node.equals(source) ? bootsBefore : 0;
      checks.add(new Check("no reboot", heartbeat > heartbeatBefore && boots == expectedBoots,
          "heartbeat " + heartbeatBefore + " -> " + heartbeat + " on " + node + ", boots " + boots
              + " (expected " + expectedBoots + ")"));
    }
    checks.add(diskPassesCheck(stack, lab.disk(node, vm)));
    ChaosStack.Result compare = stack.run(Duration.ofSeconds(120), "qemu-img", "compare", "-U",
        guest.reference.toString(), lab.disk(node, vm).toString());
    checks.add(new Check("disk equals reference", compare.exitCode() == 0, last(compare.output())));
    List<String> traces = lab.traces(other, vm);
    checks.add(new Check("nothing left on " + other, traces.isEmpty(), traces.isEmpty() ? "clean" : String.valueOf(traces)));
    boolean overlay = java.nio.file.Files.exists(lab.overlay(node, vm));
    checks.add(new Check("no overlay under the guest", !overlay, overlay ? "overlay left on " + node : "flat"));
    JsonNode record = stack.getOrNull("/api/v1/vms/" + vm);
    String recorded = record == null ? "?" : record.path("node").asText() + "/" + record.path("state").asText();
    checks.add(new Check("inventory equals virsh", (node + "/running").equals(recorded),
        "inventory " + recorded + ", virsh " + node + "/running"));
    String state = RunWatch.state(ended);
    boolean consistent = node.equals(target) ? state.equals("SUCCEEDED")
        : state.equals("FAILED") || state.equals("CANCELLED");
    checks.add(new Check("run ended in a defined state", RunWatch.ENDED.contains(state) && consistent,
        state + " with the VM on " + node));
    return checks;
  }

  /** A cold move that had shut the source down restarted it: that boot is expected. */
  private static boolean touchedSource(JsonNode ended) {
    if (ended == null) {
      return false;
    }
    for (JsonNode event : ended.path("timeline")) {
      if ("shutdown".equals(event.path("phase").asText())) {
        return true;
      }
    }
    return false;
  }

  /** {@code qemu-img check} of a guest's disk (read-only, beside the running guest), as a check. */
  static Check diskPassesCheck(ChaosStack stack, java.nio.file.Path disk) throws Exception {
    ChaosStack.Result integrity = stack.run(Duration.ofSeconds(60), "qemu-img", "check", "-U", disk.toString());
    return new Check("qemu-img check", integrity.exitCode() == 0, last(integrity.output()));
  }

  private static String last(String output) {
    String[] lines = output.strip().split("\n");
    return lines.length == 0 ? "" : lines[lines.length - 1];
  }

  /** One verdict about a case's end. */
  record Check(String name, boolean ok, String detail) {}

  /** What a case did and how it ended. */
  record CaseResult(ChaosCase chaosCase, String runId, String runState, String headline, String outcome,
      String fault, double settleSeconds, double faultAfterSeconds, long cancelLatencyMs, List<Check> checks) {
    boolean passed() {
      return checks.stream().allMatch(Check::ok);
    }

    List<String> failures() {
      return checks.stream().filter(c -> !c.ok()).map(c -> c.name() + ": " + c.detail()).toList();
    }
  }
}
