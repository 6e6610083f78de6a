package io.novacron.bench.migrate;

import static io.novacron.bench.migrate.LabFixture.LAB;
import static io.novacron.bench.migrate.LabFixture.LAB_SCRIPT;
import static io.novacron.bench.migrate.LabFixture.REPO;
import static io.novacron.bench.migrate.LabFixture.assumeRootWithLibvirtd;
import static io.novacron.bench.migrate.LabFixture.domstate;
import static io.novacron.bench.migrate.LabFixture.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.novacron.bench.migrate.LabNode.AgentSetup;
import io.novacron.bench.temporal.TemporalDevServer;
import io.novacron.workflows.TaskQueues;
import io.novacron.runtime.TemporalConnection;
import io.novacron.workflows.host.DiskInfo;
import io.novacron.workflows.host.DiskRequest;
import io.novacron.workflows.host.DomainRequest;
import io.novacron.workflows.migrate.MigrateVmRequest;
import io.novacron.workflows.migrate.MigrateVmResult;
import io.novacron.workflows.migrate.MigrateVmWorkflow;
import io.novacron.workflows.migrate.MigrationMode;
import io.novacron.workflows.migrate.MigrationOptions;
import io.novacron.workflows.run.RunStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Faults during real migrations in the lab, with everything as separate processes: a Temporal dev
 * server (durable, SQLite), the two host agents ({@code lab.sh up --agents}) and the orchestrator
 * worker ({@link LabOrchestrator}). The test kills and restarts them by pid and checks, with
 * {@code virsh} on each node, that the guest runs on exactly one node afterwards.
 *
 * <p>Needs root, libvirtd, QEMU, the {@code temporal} CLI and the agent jar (package phase); skipped
 * otherwise. Slow: several minutes on a loaded machine.
 */
class LabFaultIT {
  private static final Path WORK = Path.of(System.getProperty("user.dir"), "target", "lab-fault");

  private static TemporalDevServer temporal;
  private static Process orchestrator;
  private static WorkflowServiceStubs stubs;
  private static WorkflowClient client;
  private static LabTestNode a;
  private static LabTestNode b;
  private static boolean labStarted;

  @BeforeAll
  static void up() throws Exception {
    assumeRootWithLibvirtd();
    assumeTrue(run("sh", "-c", "command -v temporal").exitCode() == 0, "needs the temporal CLI");
    assumeTrue(Files.list(REPO.resolve("activities-host/target")).anyMatch(p -> p.toString().endsWith("-exec.jar")),
        "needs the host agent jar (mvn package)");
    Files.createDirectories(WORK);
    Files.deleteIfExists(WORK.resolve("temporal.db"));
    temporal = TemporalDevServer.start(WORK);

    labStarted = true;
    assertThat(lab("up", "--agents")).isZero();
    startOrchestrator();
    stubs = TemporalConnection.stubs(temporal.address());
    client = TemporalConnection.client(stubs, TemporalConnection.DEFAULT_NAMESPACE);
    a = LabTestNode.open("a", AgentSetup.PLAIN);
    b = LabTestNode.open("b", AgentSetup.PLAIN);
  }

  @AfterAll
  static void down() throws Exception {
    if (a != null) {
      a.close();
    }
    if (b != null) {
      b.close();
    }
    stopOrchestrator();
    if (labStarted) {
      lab("down");
    }
    if (stubs != null) {
      stubs.shutdown();
    }
    if (temporal != null) {
      temporal.close();
    }
  }

  @Test
  void a_target_whose_libvirtd_is_down_fails_the_check_naming_the_node_and_the_vm_stays() throws Exception {
    String vm = guestOnA("fault-a");
    Path pidFile = LAB.resolve("b/libvirtd.pid");
    long daemon = Long.parseLong(Files.readString(pidFile).strip());
    ProcessHandle.of(daemon).ifPresent(ProcessHandle::destroy);
    waitUntil(() -> ProcessHandle.of(daemon).map(p -> !p.isAlive()).orElse(true), 30);
    try {
      MigrateVmWorkflow workflow = workflow(vm);
      long start = System.nanoTime();
      assertThatThrownBy(() -> workflow.migrate(new MigrateVmRequest(vm, "lab-a", "lab-b", MigrationMode.LIVE, null)))
          .isInstanceOf(WorkflowFailedException.class)
          .rootCause().hasMessageContaining("target node lab-b did not answer the check");
      System.out.printf("libvirtd down on lab-b: failed after %d ms: %s%n",
          (System.nanoTime() - start) / 1_000_000, last(workflow.status()));
      assertThat(domstate(a, vm)).isEqualTo("running");
    } finally {
      assertThat(lab("up", "--agents")).isZero(); // starts b's daemon again
    }
    assertThat(domstate(b, vm)).isEqualTo("absent");
    removeFromA(vm);
  }

  @Test
  void killing_the_source_agent_mid_transfer_and_restarting_it_ends_with_exactly_one_copy() throws Exception {
    String vm = guestOnA("fault-b");
    MigrateVmWorkflow workflow = workflow(vm);
    // Warm, 2 MiB/s per stream: the transfer engine's streams from lab-a's agent last ~10 s.
    WorkflowClient.start(workflow::migrate, new MigrateVmRequest(vm, "lab-a", "lab-b", MigrationMode.WARM,
        MigrationOptions.defaults().withBandwidthMiBps(2).withTransferCodec("zstd:3")));
    awaitPhase(workflow, "transfer");
    Thread.sleep(2000);
    long agent = Long.parseLong(Files.readString(LAB.resolve("run/agent-lab-a.pid")).strip());
    ProcessHandle.of(agent).ifPresent(ProcessHandle::destroyForcibly);
    waitUntil(() -> ProcessHandle.of(agent).map(p -> !p.isAlive()).orElse(true), 30);
    System.out.println("killed the agent of lab-a (pid " + agent + ") in the transfer phase");
    Thread.sleep(3000);
    assertThat(lab("up", "--agents")).isZero();

    String outcome;
    try {
      MigrateVmResult result = WorkflowStub.fromTyped(workflow).getResult(6, TimeUnit.MINUTES, MigrateVmResult.class);
      outcome = "completed: " + result;
      assertThat(domstate(a, vm)).isEqualTo("absent");
      assertThat(domstate(b, vm)).isEqualTo("running");
    } catch (WorkflowFailedException e) {
      outcome = "rolled back: " + last(workflow.status());
      assertThat(domstate(a, vm)).isEqualTo("running");
      assertThat(domstate(b, vm)).isEqualTo("absent");
    }
    System.out.println("source agent killed mid-transfer: " + outcome);
    System.out.println("timeline: " + workflow.status().timeline());
    assertExactlyOneRunning(vm);
    saveHistory(vm, "warm");
    removeEverywhere(vm);
  }

  @Test
  void killing_the_orchestrator_mid_transfer_and_restarting_it_completes_the_run() throws Exception {
    String vm = guestOnA("fault-c");
    MigrateVmWorkflow workflow = workflow(vm);
    // Live, 40 MiB/s: the mirror of the 1 GiB sparse disk alone takes ~25 s.
    WorkflowClient.start(workflow::migrate, new MigrateVmRequest(vm, "lab-a", "lab-b", MigrationMode.LIVE,
        MigrationOptions.defaults()
            .withBandwidthMiBps(40)
            .withMaxDowntimeMs(300)
            .withStallIterations(-1)));
    awaitPhase(workflow, "transfer");
    Thread.sleep(2000);
    stopOrchestrator();
    System.out.println("killed the orchestrator in the transfer phase");
    Thread.sleep(5000);
    startOrchestrator();

    MigrateVmResult result = WorkflowStub.fromTyped(workflow).getResult(6, TimeUnit.MINUTES, MigrateVmResult.class);
    System.out.println("orchestrator killed mid-transfer: completed: " + result);
    assertThat(result.targetNode()).isEqualTo("lab-b");
    assertThat(domstate(a, vm)).isEqualTo("absent");
    assertThat(domstate(b, vm)).isEqualTo("running");
    assertExactlyOneRunning(vm);
    saveHistory(vm, "live");
    removeEverywhere(vm);
  }

  private static void assertExactlyOneRunning(String vm) throws Exception {
    List<String> running = new ArrayList<>();
    for (LabTestNode n : List.of(a, b)) {
      if ("running".equals(domstate(n, vm))) {
        running.add(n.name());
      }
    }
    assertThat(running).as("nodes running " + vm).hasSize(1);
  }

  /** The run's history as JSON, for a replay test of the current workflow version. */
  private static void saveHistory(String vm, String mode) throws Exception {
    String json = client.fetchHistory("migrate-" + vm).toJson(true);
    Files.writeString(WORK.resolve("migrate-vm-" + mode + "-history.json"), json);
  }

  private static MigrateVmWorkflow workflow(String vm) {
    return client.newWorkflowStub(MigrateVmWorkflow.class, WorkflowOptions.newBuilder()
        .setTaskQueue(TaskQueues.CONTROL).setWorkflowId("migrate-" + vm).build());
  }

  private static void awaitPhase(MigrateVmWorkflow workflow, String phase) throws Exception {
    waitUntil(() -> {
      try {
        RunStatus s = workflow.status();
        return s != null && (phase.equals(s.phase()) || s.state().isTerminal());
      } catch (RuntimeException e) {
        return false; // not started yet
      }
    }, 120);
    assertThat(workflow.status().phase()).isEqualTo(phase);
  }

  private static String guestOnA(String prefix) throws Exception {
    String vm = prefix + "-" + UUID.randomUUID().toString().substring(0, 6);
    DiskInfo disk = a.host().createDisk(new DiskRequest(vm, 1, "tiny"));
    a.host().defineDomain(new DomainRequest(vm, UUID.randomUUID().toString(), 1, 128, disk.path(), "tiny"));
    a.host().startDomain(vm);
    a.host().verifyRunning(vm);
    return vm;
  }

  private static void removeFromA(String vm) {
    a.host().undefineDomain(vm, a.migration().describeSource(vm).uuid());
    a.host().deleteDisk(vm);
  }

  private static void removeEverywhere(String vm) throws Exception {
    for (LabTestNode n : List.of(a, b)) {
      run("virsh", "-c", n.uri(), "destroy", vm);
      run("virsh", "-c", n.uri(), "undefine", vm);
      n.host().deleteDisk(vm);
    }
  }

  private static String last(RunStatus status) {
    return status == null || status.timeline().isEmpty() ? "?" : status.timeline().get(status.timeline().size() - 1).toString();
  }

  private static int lab(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(LAB_SCRIPT.toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).inheritIO();
    pb.environment().put("NOVACRON_TEMPORAL_PORT", String.valueOf(temporal.port()));
    return pb.start().waitFor();
  }

  private static void startOrchestrator() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    orchestrator = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        LabOrchestrator.class.getName(), temporal.address())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(WORK.resolve("orchestrator.log").toFile()))
        .start();
  }

  /** Killed, as a crash would: no graceful worker shutdown. */
  private static void stopOrchestrator() throws Exception {
    if (orchestrator != null && orchestrator.isAlive()) {
      orchestrator.destroyForcibly();
      orchestrator.waitFor(10, TimeUnit.SECONDS);
    }
  }

  @FunctionalInterface
  interface Check {
    boolean ok() throws Exception;
  }

  private static void waitUntil(Check check, int seconds) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (!check.ok()) {
      assertThat(System.nanoTime()).as("reached within " + seconds + " s").isLessThan(deadline);
      Thread.sleep(250);
    }
  }
}
