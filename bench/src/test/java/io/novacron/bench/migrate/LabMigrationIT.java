package io.novacron.bench.migrate;

import static io.novacron.bench.migrate.LabFixture.assertKeepsBeating;
import static io.novacron.bench.migrate.LabFixture.domstate;
import static io.novacron.bench.migrate.LabFixture.lastHeartbeat;
import static io.novacron.bench.migrate.LabFixture.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.novacron.bench.migrate.LabNode.AgentSetup;
import io.novacron.workflows.host.DiskInfo;
import io.novacron.workflows.host.DiskRequest;
import io.novacron.workflows.host.DomainRequest;
import io.novacron.workflows.migrate.CompletedJob;
import io.novacron.workflows.migrate.LiveMigrationRequest;
import io.novacron.workflows.migrate.MigrationOptions;
import io.novacron.workflows.migrate.MigrationOutcome;
import io.novacron.workflows.migrate.MigrationSource;
import io.novacron.workflows.migrate.MigrationTarget;
import io.novacron.workflows.migrate.TargetRequest;
import io.novacron.workflows.TaskQueues;
import io.novacron.workflows.migrate.MigrateVmRequest;
import io.novacron.workflows.migrate.MigrateVmResult;
import io.novacron.workflows.migrate.MigrateVmWorkflow;
import io.novacron.workflows.migrate.MigrationMode;
import io.novacron.workflows.migrate.TimeoutAction;
import io.novacron.workflows.run.RunState;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real live migration between the lab's two libvirt daemons (starter/scripts/lab.sh): a tiny TCG
 * guest defined and started on lab-a through the host activities, moved to lab-b and back through
 * the migration activities (heartbeats and all, in Temporal's activity test environment), checked
 * from outside with {@code virsh domstate} and by its console log, which must keep growing. The
 * agents are set up as {@code novacron bench migrate} sets them up ({@link LabNode}, plain TCP).
 *
 * <p>Needs root, libvirtd and QEMU; skipped otherwise. The lab lives in
 * {@code NOVACRON_LAB_DIR} (default {@code /var/lib/novacron/lab}) and is torn down afterwards.
 */
class LabMigrationIT {
  private static LabTestNode a;
  private static LabTestNode b;

  @BeforeAll
  static void labUp() throws Exception {
    LabFixture.Nodes nodes = LabFixture.labUp(AgentSetup.PLAIN);
    a = nodes.a();
    b = nodes.b();
  }

  @AfterAll
  static void labDown() throws Exception {
    LabFixture.labDown(a, b);
  }

  @Test
  void a_guest_moves_to_the_other_host_and_back_without_stopping() throws Exception {
    String vm = "mig-" + UUID.randomUUID().toString().substring(0, 8);
    startGuestOnA(vm, "tiny", 128, false);
    assertThat(domstate(a, vm)).isEqualTo("running");

    Moved there = migrate(vm, a, b);
    assertThat(domstate(a, vm)).isEqualTo("absent");
    assertThat(domstate(b, vm)).isEqualTo("running");
    long before = lastHeartbeat(a.console(vm));
    assertKeepsBeating(b.console(vm), before);
    System.out.printf("a->b: %s%n", there);

    Moved back = migrate(vm, b, a);
    assertThat(domstate(b, vm)).isEqualTo("absent");
    assertThat(domstate(a, vm)).isEqualTo("running");
    assertKeepsBeating(a.console(vm), lastHeartbeat(b.console(vm)));
    System.out.printf("b->a: %s%n", back);

    removeGuest(a, vm);
  }

  @Test
  void the_migrate_vm_workflow_moves_a_guest_and_cleans_up_the_source() throws Exception {
    String vm = "wf-" + UUID.randomUUID().toString().substring(0, 8);
    Guest guest = startGuestOnA(vm, "tiny", 128, true);
    DiskInfo disk = guest.disk();
    Path reference = guest.reference();

    TestWorkflowEnvironment env = labWorkflows();
    try {
      MigrateVmWorkflow workflow = migrateVm(env, vm);
      long wireBefore = txBytes("a");
      long start = System.nanoTime();
      MigrateVmResult result = workflow.migrate(new MigrateVmRequest(vm, a.name(), b.name(), MigrationMode.LIVE,
          MigrationOptions.defaults().withMaxDowntimeMs(300).withOnTimeout(TimeoutAction.ABORT).withPrecopyDisk(true)));
      long wall = (System.nanoTime() - start) / 1_000_000;
      long wire = txBytes("a") - wireBefore;
      System.out.printf("workflow a->b: %s, run %d ms, %d bytes on the wire a->b%n", result, wall, wire);

      assertThat(result.targetNode()).isEqualTo(b.name());
      assertThat(domstate(a, vm)).isEqualTo("absent");
      assertThat(domstate(b, vm)).isEqualTo("running");
      assertThat(Path.of(disk.path())).as("source disk deleted").doesNotExist();
      assertThat(a.data().resolve("disks/" + vm + ".precopy.qcow2")).as("source overlay deleted").doesNotExist();
      assertThat(workflow.status().state()).isEqualTo(RunState.SUCCEEDED);
      assertKeepsBeating(b.console(vm), lastHeartbeat(a.console(vm)));
      // Pre-copied by the transfer engine while the guest ran; libvirt mirrored only the overlay,
      // which the target then merged into the copied disk: the guest runs from that disk alone.
      assertThat(workflow.status().timeline()).extracting(e -> e.phase())
          .containsSubsequence("prepare-destination", "precopy-disk", "transfer", "verify", "flatten", "cleanup-source");
      assertThat(result.bytesOnWire()).isPositive();
      Path copied = b.data().resolve("disks/" + vm + ".qcow2");
      assertThat(b.migration().describeSource(vm).diskPath()).isEqualTo(copied.toString());
      assertThat(b.data().resolve("disks/" + vm + ".precopy.qcow2")).as("target overlay merged").doesNotExist();
      assertSameContents(reference, copied);
    } finally {
      env.close();
      Files.deleteIfExists(reference);
    }
    removeGuest(b, vm);
  }

  @Test
  void a_guest_that_never_converges_is_aborted_and_rolled_back_to_the_source() throws Exception {
    String vm = "dirty-" + UUID.randomUUID().toString().substring(0, 8);
    DiskInfo disk = startDirtyingGuestOnA(vm);

    TestWorkflowEnvironment env = labWorkflows();
    try {
      MigrateVmWorkflow workflow = migrateVm(env, vm);
      long start = System.nanoTime();
      // 20 MiB/s cannot keep up with 64 MiB rewritten over and over: no new low in 2 iterations.
      MigrateVmRequest request = new MigrateVmRequest(vm, a.name(), b.name(), MigrationMode.LIVE,
          MigrationOptions.defaults()
              .withBandwidthMiBps(20)
              .withOnTimeout(TimeoutAction.ABORT)
              .withStallIterations(2));
      assertThatThrownBy(() -> workflow.migrate(request))
          .isInstanceOf(WorkflowFailedException.class)
          .rootCause().hasMessageContaining("stalled");
      long wall = (System.nanoTime() - start) / 1_000_000;
      System.out.printf("non-converging a->b aborted after %d ms; %s%n", wall, workflow.status().timeline());

      assertThat(workflow.status().state()).isEqualTo(RunState.FAILED);
      assertBackOnTheSource(vm, disk);
      assertKeepsBeating(a.console(vm), lastHeartbeat(a.console(vm)));
    } finally {
      env.close();
    }
    removeGuest(a, vm);
  }

  @Test
  void cancelling_mid_transfer_rolls_back_to_the_source_and_leaves_the_target_clean() throws Exception {
    String vm = "cancel-" + UUID.randomUUID().toString().substring(0, 8);
    DiskInfo disk = startDirtyingGuestOnA(vm);

    TestWorkflowEnvironment env = labWorkflows();
    try {
      MigrateVmWorkflow workflow = migrateVm(env, vm);
      // 20 MiB/s and no stall rule: the transfer runs until someone stops it.
      MigrateVmRequest request = new MigrateVmRequest(vm, a.name(), b.name(), MigrationMode.LIVE,
          MigrationOptions.defaults()
              .withBandwidthMiBps(20)
              .withCompletionTimeoutSecondsPerGiB(3600)
              .withOnTimeout(TimeoutAction.ABORT)
              .withStallIterations(-1));
      io.temporal.client.WorkflowClient.start(workflow::migrate, request);
      long deadline = System.currentTimeMillis() + 180_000;
      while (!memoryIterating(a, vm)) {
        assertThat(System.currentTimeMillis()).as("memory copy started").isLessThan(deadline);
        Thread.sleep(500);
      }
      long beforeCancel = lastHeartbeat(a.console(vm));
      io.temporal.client.WorkflowStub.fromTyped(workflow).cancel();
      assertThatThrownBy(() -> io.temporal.client.WorkflowStub.fromTyped(workflow).getResult(MigrateVmResult.class))
          .isInstanceOf(WorkflowFailedException.class)
          .hasCauseInstanceOf(io.temporal.failure.CanceledFailure.class);
      System.out.printf("cancelled a->b: %s%n", workflow.status().timeline());

      // The run record and virsh on both nodes agree: on the source only, nothing left on the target.
      assertThat(workflow.status().state()).isEqualTo(RunState.CANCELLED);
      assertThat(workflow.status().timeline()).extracting(e -> e.phase()).contains("precopy-disk", "transfer", "rollback");
      assertThat(workflow.status().timeline()).extracting(e -> e.detail()).contains("exactly one running copy, on lab-a");
      assertBackOnTheSource(vm, disk);
      assertKeepsBeating(a.console(vm), beforeCancel);
    } finally {
      env.close();
    }
    removeGuest(a, vm);
  }

  @Test
  void a_guest_that_never_converges_completes_once_switched_to_post_copy() throws Exception {
    String vm = "postcopy-" + UUID.randomUUID().toString().substring(0, 8);
    DiskInfo disk = startDirtyingGuestOnA(vm);

    MigrationSource source = a.migration().describeSource(vm);
    MigrationTarget target = b.migration().prepareTarget(new TargetRequest(source, true));
    // 20 MiB/s never catches up with 64 MiB rewritten over and over; no policy stops it here.
    MigrationOptions options = MigrationOptions.defaults()
        .withBandwidthMiBps(20)
        .withPostCopy(true)
        .withCompletionTimeoutSecondsPerGiB(3600)
        .withOnTimeout(TimeoutAction.ABORT)
        .withStallIterations(-1);
    java.util.concurrent.CompletableFuture<MigrationOutcome> moving = java.util.concurrent.CompletableFuture.supplyAsync(
        () -> a.migration().migrateLive(new LiveMigrationRequest(vm, target.migrationUri(), target.destXml(), true, options)));
    // Post-copy may start once the disk is mirrored and memory is being copied.
    long deadline = System.currentTimeMillis() + 180_000;
    while (!memoryIterating(a, vm)) {
      assertThat(System.currentTimeMillis()).as("memory copy started").isLessThan(deadline);
      assertThat(moving).isNotDone();
      Thread.sleep(500);
    }
    Thread.sleep(3000);
    assertThat(moving).as("a non-converging pre-copy is still running").isNotDone();
    long switched = System.nanoTime();
    // The agent's force-complete: for a migration started with postCopy it switches to post-copy
    // (virDomainMigrateStartPostCopy through JNA) instead of pausing the guest. Called on a fresh
    // agent object, as after a restart of the agent (it knows nothing of the running job: libvirt
    // does), and directly: the activity test environment runs one activity at a time, and
    // migrateLive is running.
    a.node().restartedMigration().forceComplete(vm);
    // Sampled in-process every 5 ms (a virsh fork takes ~100 ms): with an unthrottled post-copy
    // phase the source may sit paused for well under a second before it is gone.
    java.util.Set<String> sourceStates = new java.util.LinkedHashSet<>();
    io.novacron.host.libvirt.LibvirtNative natives = new io.novacron.host.libvirt.LibvirtNative(a.uri());
    long switchDeadline = System.currentTimeMillis() + 120_000;
    while (!moving.isDone()) {
      assertThat(System.currentTimeMillis()).as("completed after the switch").isLessThan(switchDeadline);
      try {
        int[] st = natives.state(vm);
        sourceStates.add(io.novacron.host.libvirt.LibvirtStates.state(st[0]) + " ("
            + io.novacron.host.libvirt.LibvirtStates.reason(st[0], st[1]) + ")");
      } catch (IOException gone) {
        // the source domain is undefined once the migration has finished
      }
      Thread.sleep(5);
    }

    MigrationOutcome outcome = moving.get(120, java.util.concurrent.TimeUnit.SECONDS);
    System.out.printf("post-copy: completed %d ms after the switch; source states %s; %s%n",
        (System.nanoTime() - switched) / 1_000_000, sourceStates, outcome);
    assertThat(sourceStates).as("the source was paused by post-copy, not by force-complete's pause")
        .anyMatch(st -> st.contains("postcopy")).noneMatch(st -> st.contains("user"));
    assertThat(domstate(a, vm)).isEqualTo("absent");
    assertThat(domstate(b, vm)).isEqualTo("running");
    assertKeepsBeating(b.console(vm), lastHeartbeat(a.console(vm)));
    b.host().undefineDomain(vm, source.uuid());
    b.host().deleteDisk(vm);
    a.host().deleteDisk(vm);
  }

  /**
   * Starts {@code vm} on lab-a from the image that rewrites 32 MiB of memory over and over, so that a
   * slow live migration never converges; returns its disk.
   */
  private static DiskInfo startDirtyingGuestOnA(String vm) throws Exception {
    dirtyingImage(a, 32);
    dirtyingImage(b, 32);
    DiskInfo disk = startGuestOnA(vm, "tiny-dirty", 160, false).disk();
    waitFor(a.console(vm), "dirtying");
    return disk;
  }

  /** A guest a test started on lab-a: its disk and, where asked for, a copy of what it held. */
  private record Guest(DiskInfo disk, Path reference) {}

  /**
   * Creates {@code vm}'s disk on lab-a from {@code image} (filled with a random pattern, copied
   * aside as the reference, when {@code patterned}), defines and starts it, and waits for its
   * readiness line.
   */
  private static Guest startGuestOnA(String vm, String image, int memoryMib, boolean patterned)
      throws Exception {
    DiskInfo disk = a.host().createDisk(new DiskRequest(vm, 1, image));
    Path reference = patterned ? patternedDisk(disk) : null;
    a.host().defineDomain(new DomainRequest(vm, UUID.randomUUID().toString(), 1, memoryMib, disk.path(), image));
    a.host().startDomain(vm);
    a.host().verifyRunning(vm);
    return new Guest(disk, reference);
  }

  /** Removes {@code vm}'s domain and disk from {@code node}, where the test left it running. */
  private static void removeGuest(LabTestNode node, String vm) {
    node.host().undefineDomain(vm, node.migration().describeSource(vm).uuid());
    node.host().deleteDisk(vm);
  }

  /** A MigrateVm stub for {@code vm} on the lab's workflow environment. */
  private static MigrateVmWorkflow migrateVm(TestWorkflowEnvironment env, String vm) {
    return env.getWorkflowClient().newWorkflowStub(MigrateVmWorkflow.class,
        WorkflowOptions.newBuilder().setTaskQueue(TaskQueues.CONTROL).setWorkflowId("migrate-" + vm).build());
  }

  /**
   * The move was undone: the guest runs on lab-a from its own disk again (the pre-copy's overlay
   * merged back), and nothing of it is left on lab-b: no domain, no job, no disk, no overlay.
   */
  private static void assertBackOnTheSource(String vm, DiskInfo disk) throws Exception {
    assertThat(domstate(a, vm)).isEqualTo("running");
    assertThat(domstate(b, vm)).isEqualTo("absent");
    assertThat(run("virsh", "-c", b.uri(), "domjobinfo", vm).exitCode()).as("no job on the target").isNotZero();
    assertThat(b.data().resolve("disks/" + vm + ".qcow2")).as("target disk removed").doesNotExist();
    assertThat(b.data().resolve("disks/" + vm + ".precopy.qcow2")).as("target overlay removed").doesNotExist();
    assertThat(a.migration().describeSource(vm).diskPath()).as("source back on its own disk").isEqualTo(disk.path());
    assertThat(a.data().resolve("disks/" + vm + ".precopy.qcow2")).as("source overlay merged").doesNotExist();
  }

  /** Whether the source's migration job has reached the memory copy (iteration 1 or more). */
  private static boolean memoryIterating(LabTestNode node, String vm) throws Exception {
    BenchLab.Result r = run("virsh", "-c", node.uri(), "domjobinfo", vm);
    Matcher m = Pattern.compile("Iteration:\\s+(\\d+)").matcher(r.output());
    return m.find() && Long.parseLong(m.group(1)) >= 1;
  }

  /** The tiny image, rewriting {@code mib} MiB of memory over and over (guest-image.sh). */
  private static void dirtyingImage(LabTestNode node, int mib) throws IOException {
    Path tiny = node.data().resolve("images/tiny");
    Path dirty = node.data().resolve("images/tiny-dirty");
    Files.createDirectories(dirty);
    for (String f : new String[] {"vmlinuz", "initrd.img", "ready"}) {
      Files.copy(tiny.resolve(f), dirty.resolve(f), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    Files.writeString(dirty.resolve("cmdline"), "console=ttyS0 quiet panic=-1 novacron.dirty_mib=" + mib + "\n");
  }

  private static void waitFor(Path console, String text) throws Exception {
    long deadline = System.currentTimeMillis() + 30_000;
    while (System.currentTimeMillis() < deadline
        && !(Files.exists(console) && Files.readString(console).contains(text))) {
      Thread.sleep(250);
    }
    assertThat(Files.readString(console)).contains(text);
  }

  @Test
  void a_cold_move_boots_the_guest_on_the_other_host_from_a_streamed_disk() throws Exception {
    String vm = "cold-" + UUID.randomUUID().toString().substring(0, 8);
    Guest guest = startGuestOnA(vm, "tiny", 128, true);
    DiskInfo disk = guest.disk();
    Path reference = guest.reference();

    TestWorkflowEnvironment env = labWorkflows();
    try {
      MigrateVmWorkflow workflow = migrateVm(env, vm);
      long start = System.nanoTime();
      // The tiny guest has no ACPI daemon: it ignores the shutdown request and is powered off.
      MigrateVmResult result = workflow.migrate(new MigrateVmRequest(vm, a.name(), b.name(), MigrationMode.COLD,
          MigrationOptions.defaults().withShutdownTimeoutSeconds(3)));
      long wall = (System.nanoTime() - start) / 1_000_000;
      System.out.printf("cold a->b: %s, run %d ms%n", result, wall);

      assertThat(domstate(a, vm)).isEqualTo("absent");
      assertThat(domstate(b, vm)).isEqualTo("running");
      assertThat(Path.of(disk.path())).as("source disk deleted").doesNotExist();
      assertThat(Files.readString(b.console(vm))).contains("novacron-guest: up");
      assertThat(workflow.status().timeline()).extracting(e -> e.phase())
          .containsSubsequence("shutdown", "transfer", "start-on-target", "cleanup-source");
      // The disk went through the transfer engine (compressed), not a read of the source's path.
      assertThat(result.bytesOnWire()).isPositive().isLessThan(result.bytesProcessed());
      assertSameContents(reference, b.data().resolve("disks/" + vm + ".qcow2"));
    } finally {
      env.close();
      Files.deleteIfExists(reference);
    }
    removeGuest(b, vm);
  }

  @Test
  void a_warm_move_restores_the_guests_memory_on_the_other_host() throws Exception {
    String vm = "warm-" + UUID.randomUUID().toString().substring(0, 8);
    Guest guest = startGuestOnA(vm, "tiny", 128, true);
    DiskInfo disk = guest.disk();
    Path reference = guest.reference();

    TestWorkflowEnvironment env = labWorkflows();
    try {
      MigrateVmWorkflow workflow = migrateVm(env, vm);
      long start = System.nanoTime();
      MigrateVmResult result = workflow.migrate(new MigrateVmRequest(vm, a.name(), b.name(), MigrationMode.WARM,
          MigrationOptions.defaults().withTransferCodec("zstd:3")));
      long wall = (System.nanoTime() - start) / 1_000_000;
      System.out.printf("warm a->b: %s, run %d ms; %s%n", result, wall, workflow.status().timeline());

      // Exactly one running copy, on the target; nothing left of it on the source.
      assertThat(domstate(a, vm)).isEqualTo("absent");
      assertThat(domstate(b, vm)).isEqualTo("running");
      assertThat(Path.of(disk.path())).as("source disk deleted").doesNotExist();
      assertThat(a.data().resolve("states/" + vm + ".save")).as("source state file deleted").doesNotExist();
      assertThat(b.data().resolve("states/" + vm + ".save")).as("target state file consumed").doesNotExist();
      // Restored, not rebooted: the heartbeat goes on from where it stood, and no second boot.
      assertKeepsBeating(b.console(vm), lastHeartbeat(a.console(vm)));
      assertThat(Files.readString(b.console(vm))).doesNotContain("novacron-guest: up");
      assertThat(workflow.status().timeline()).extracting(e -> e.phase())
          .containsSubsequence("suspend", "transfer", "restore", "resume", "verify", "cleanup-source");
      assertThat(result.downtimeMs()).isPositive();
      assertSameContents(reference, b.data().resolve("disks/" + vm + ".qcow2"));
    } finally {
      env.close();
      Files.deleteIfExists(reference);
    }
    removeGuest(b, vm);
  }

  /**
   * Writes a pattern into the fresh disk (so that a copy has something to get wrong) and keeps a
   * flat copy of it outside the nodes as the reference.
   */
  static Path patternedDisk(DiskInfo disk) throws Exception {
    assertThat(run("qemu-io", "-f", "qcow2", "-c", "write -P 0x5a 0 3M", "-c", "write -P 0xc3 512M 1M",
        disk.path()).exitCode()).isZero();
    Path reference = Files.createTempFile("novacron-ref-", ".qcow2");
    assertThat(run("qemu-img", "convert", "-O", "qcow2", disk.path(), reference.toString()).exitCode()).isZero();
    return reference;
  }

  /** {@code qemu-img compare}: the same guest-visible contents (the target may be open in QEMU). */
  static void assertSameContents(Path reference, Path copy) throws Exception {
    BenchLab.Result r = run("qemu-img", "compare", "-U", reference.toString(), copy.toString());
    assertThat(r.exitCode()).as("qemu-img compare: " + r.output()).isZero();
    assertThat(r.output()).contains("Images are identical");
  }

  /**
   * Both lab agents' real activities on their queues and the real workflow on Temporal's
   * in-process server; no time skipping, since the activities take real time.
   */
  private static TestWorkflowEnvironment labWorkflows() {
    TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance(
        TestEnvironmentOptions.newBuilder().setUseTimeskipping(false).build());
    MigrationControlWorker.register(env.newWorker(TaskQueues.CONTROL));
    env.newWorker(TaskQueues.host(a.name())).registerActivitiesImplementations(a.impls());
    env.newWorker(TaskQueues.host(b.name())).registerActivitiesImplementations(b.impls());
    env.start();
    return env;
  }

  /** Bytes node {@code n} has sent over the lab's veth: what a migration puts on the wire. */
  static long txBytes(String n) throws Exception {
    BenchLab.Result r = run("ip", "-n", "novacron-" + n, "-s", "-j", "link", "show", "nclab-" + n);
    Matcher m = Pattern.compile("\"tx\":\\{\"bytes\":(\\d+)").matcher(r.output());
    return m.find() ? Long.parseLong(m.group(1)) : -1;
  }

  record Moved(long elapsedMs, long downtimeMs, long processedBytes, long iterations, long wallMs,
      long wireBytes) {}

  /** What the workflow does between two nodes, minus Temporal's queues. */
  private static Moved migrate(String vm, LabTestNode from, LabTestNode to) throws Exception {
    long wireBefore = txBytes(from.node().letter());
    long start = System.nanoTime();
    MigrationSource source = from.migration().describeSource(vm);
    MigrationTarget target = to.migration().prepareTarget(new TargetRequest(source, true));
    MigrationOutcome outcome = from.migration().migrateLive(new LiveMigrationRequest(
        vm, target.migrationUri(), target.destXml(), true, MigrationOptions.defaults().resolved()));
    CompletedJob job = to.migration().completedJob(vm);
    from.host().deleteDisk(vm);
    long wall = (System.nanoTime() - start) / 1_000_000;
    long wire = txBytes(from.node().letter()) - wireBefore;
    return new Moved(outcome.elapsedMs(), job.downtimeMs(), job.processedBytes(),
        outcome.last() == null ? -1 : outcome.last().iteration(), wall, wire);
  }

}
