package io.novacron.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import io.novacron.chaos.ChaosCase.Fault;
import io.novacron.chaos.ChaosRunner.CaseResult;
import io.novacron.chaos.ChaosRunner.Check;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Runs one case of the matrix for a run that changes a VM on its one node, lab-a: the provisioning
 * of a new VM, or a power-off or power-on of a guest kept for these cases. The same faults as the
 * moves (the node's agent, its libvirtd, the control plane, Temporal, a cancel) at each step the
 * run takes, then checks what "exactly one copy" means for such a run:
 *
 * <ul>
 *   <li>a provisioning that succeeded left one running domain on lab-a that booted once, a disk
 *       that passes {@code qemu-img check}, and an inventory record that says so; one that failed
 *       or was cancelled left nothing on either node (no domain, disk or console log) and no
 *       record;
 *   <li>a power action left the VM defined on lab-a only, its disk intact, the inventory saying
 *       what virsh says, the state asked for when the run succeeded, and a guest that booted once
 *       per start (a retried start must not boot it twice) and never on a power-off.
 * </ul>
 */
final class LifecycleRunner {
  static final String NODE = "lab-a";
  private static final String OTHER = "lab-b";
  /** The power-off's grace: busybox has no ACPI daemon, so it runs out and the agent powers off. */
  static final int GRACE_SECONDS = 3;

  private final ChaosStack stack;
  private final LabView lab;
  private final RunWatch runs;
  /** The power cases' guest, provisioned on first use and replaced when a case broke it. */
  private String guest;

  LifecycleRunner(ChaosStack stack, LabView lab) {
    this.stack = stack;
    this.lab = lab;
    this.runs = new RunWatch(stack);
  }

  CaseResult run(ChaosCase c) throws Exception {
    return c.mode().equals("provision") ? provision(c) : power(c);
  }

  private CaseResult provision(ChaosCase c) throws Exception {
    String vm = "life-" + UUID.randomUUID().toString().substring(0, 6);
    String runId = ChaosGuest.accepted(stack.post("/api/v1/vms", Map.of("name", vm, "vcpus", 1, "memoryMib", 128,
        "diskGib", 1, "image", "tiny", "node", NODE)));
    Strike strike = strike(c, runId);
    JsonNode ended = runs.awaitEnd(runId);
    double settle = (System.nanoTime() - strike.at) / 1e9;
    Thread.sleep(2500); // a started guest needs a moment to print its readiness line
    String state = RunWatch.state(ended);
    List<Check> checks = new ArrayList<>();
    checks.add(new Check("run ended", RunWatch.ENDED.contains(state), state));
    checks.add(nothingOn(OTHER, vm));
    if (state.equals("SUCCEEDED")) {
      List<String> running = lab.runningOn(vm);
      checks.add(new Check("one running copy", running.equals(List.of(NODE)), "virsh: running on " + running));
      int boots = lab.boots(NODE, vm);
      checks.add(new Check("booted once", boots == 1, boots + " boots on the console"));
      checks.add(ChaosRunner.diskPassesCheck(stack, lab.disk(NODE, vm)));
      checks.add(inventoryEqualsVirsh(vm));
    } else {
      checks.add(nothingOn(NODE, vm));
      JsonNode record = stack.getOrNull("/api/v1/vms/" + vm);
      checks.add(new Check("no inventory record", record == null, record == null ? "none" : record.toString()));
    }
    CaseResult result = new CaseResult(c, runId, state, RunWatch.headline(ended), describe(vm), strike.what,
        settle, (strike.at - strike.start) / 1e9, -1, checks);
    // The next case starts on an empty node; the inventory keeps the record, as missing.
    lab.wipe(vm);
    return result;
  }

  private CaseResult power(ChaosCase c) throws Exception {
    boolean on = c.mode().equals("power-on");
    String vm = guestIn(on ? "shut off" : "running");
    int bootsBefore = lab.boots(NODE, vm);
    String runId = on ? ChaosGuest.accepted(stack.post("/api/v1/vms/" + vm + "/start", Map.of()))
        : ChaosGuest.accepted(stack.post("/api/v1/vms/" + vm + "/stop", Map.of("graceSeconds", GRACE_SECONDS)));
    Strike strike = strike(c, runId);
    JsonNode ended = runs.awaitEnd(runId);
    double settle = (System.nanoTime() - strike.at) / 1e9;
    Thread.sleep(2500);
    String state = RunWatch.state(ended);
    String domstate = lab.domstate(NODE, vm);
    String wanted = on ? "running" : "shut off";
    List<Check> checks = new ArrayList<>();
    checks.add(new Check("run ended in a defined state", RunWatch.ENDED.contains(state)
        && (!state.equals("SUCCEEDED") || domstate.equals(wanted)), state + " with the VM " + domstate));
    String elsewhere = lab.domstate(OTHER, vm);
    checks.add(new Check("defined on " + NODE + " only", !domstate.equals("absent") && elsewhere.equals("absent"),
        NODE + " " + domstate + ", " + OTHER + " " + elsewhere));
    checks.add(ChaosRunner.diskPassesCheck(stack, lab.disk(NODE, vm)));
    checks.add(inventoryEqualsVirsh(vm));
    // A start clears the console log before it boots the guest (HostActivities.startDomain), so
    // a guest that a power-on left running shows exactly one boot; a power-off boots nothing.
    boolean started = on && domstate.equals("running");
    // A start cancelled at once leaves a guest that is still booting: its boot line comes later.
    int boots = started ? awaitBoot(vm) : lab.boots(NODE, vm);
    boolean bootsRight = started ? boots == 1 : on || boots == bootsBefore;
    checks.add(new Check("booted once per start", bootsRight, "boots " + bootsBefore + " -> " + boots
        + (started ? " (expected 1: the start clears the log)" : on ? "" : " (expected " + bootsBefore + ")")));
    CaseResult result = new CaseResult(c, runId, state, RunWatch.headline(ended), domstate + " on " + NODE,
        strike.what, settle, (strike.at - strike.start) / 1e9, -1, checks);
    if (!result.passed()) {
      lab.wipe(vm);
      guest = null;
    }
    return result;
  }

  /** The guest's boots on lab-a's console once it shows one, or as they are after a minute. */
  private int awaitBoot(String vm) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    int boots = lab.boots(NODE, vm);
    while (boots == 0 && System.nanoTime() < deadline) {
      Thread.sleep(500);
      boots = lab.boots(NODE, vm);
    }
    return boots;
  }

  /** When and how the case's fault struck its run. */
  private record Strike(long start, long at, String what) {}

  private Strike strike(ChaosCase c, String runId) throws Exception {
    long start = System.nanoTime();
    boolean reached = switch (c.phase()) {
      case PREPARE -> runs.awaitPhase(runId, "prepare-storage");
      case DEFINE -> runs.awaitPhase(runId, "define");
      // Into libvirt's start or the wait for the readiness line, not at the phase's first moment.
      case START -> runs.awaitPhase(runId, "start") && RunWatch.pause(200);
      case VERIFY -> runs.awaitPhase(runId, "verify") && RunWatch.pause(1000);
      // Inside the grace, before the agent powers the guest off.
      case STOP -> runs.awaitPhase(runId, "shutdown") && RunWatch.pause(500);
      default -> throw new IllegalArgumentException(c.id() + " is a migration case");
    };
    long at = System.nanoTime();
    if (!reached) {
      return new Strike(start, at, "the run ended before " + c.phase().id);
    }
    if (c.fault() == Fault.CANCEL) {
      HttpResponse<String> r = stack.post("/api/v1/runs/" + runId + "/cancel", Map.of());
      return new Strike(start, at, "cancelled (" + r.statusCode() + ")");
    }
    return new Strike(start, at, stack.killAndRestart(c.fault().process(NODE, OTHER)));
  }

  /** The power guest, brought to {@code domstate} through the REST API; a fresh one where it is gone. */
  private String guestIn(String domstate) throws Exception {
    stack.ensureUp();
    if (guest == null || lab.domstate(NODE, guest).equals("absent")) {
      guest = "power-" + UUID.randomUUID().toString().substring(0, 6);
      ChaosGuest.expect(stack, ChaosGuest.accepted(stack.post("/api/v1/vms", Map.of("name", guest, "vcpus", 1,
          "memoryMib", 128, "diskGib", 1, "image", "tiny", "node", NODE))), "SUCCEEDED");
    }
    if (!lab.domstate(NODE, guest).equals(domstate)) {
      String action = domstate.equals("running") ? "start" : "stop";
      ChaosGuest.expect(stack, ChaosGuest.accepted(stack.post("/api/v1/vms/" + guest + "/" + action,
          action.equals("stop") ? Map.of("graceSeconds", 0) : Map.of())), "SUCCEEDED");
    }
    return guest;
  }

  private Check nothingOn(String node, String vm) throws Exception {
    List<String> traces = lab.traces(node, vm);
    return new Check("nothing left on " + node, traces.isEmpty(), traces.isEmpty() ? "clean" : String.valueOf(traces));
  }

  /** The inventory names lab-a and the state virsh shows ("shut off" is the inventory's "shutoff"). */
  private Check inventoryEqualsVirsh(String vm) throws Exception {
    String virsh = NODE + "/" + lab.domstate(NODE, vm).replace("shut off", "shutoff");
    JsonNode record = stack.getOrNull("/api/v1/vms/" + vm);
    String recorded = record == null ? "?" : record.path("node").asText() + "/" + record.path("state").asText();
    return new Check("inventory equals virsh", virsh.equals(recorded), "inventory " + recorded + ", virsh " + virsh);
  }

  private String describe(String vm) throws Exception {
    String state = lab.domstate(NODE, vm);
    return state.equals("absent") ? "nothing" : state + " on " + NODE;
  }
}
