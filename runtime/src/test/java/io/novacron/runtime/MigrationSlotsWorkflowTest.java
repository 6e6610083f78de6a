package io.novacron.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.withSettings;

import io.novacron.workflows.FailureTypes;
import io.novacron.workflows.TaskQueues;
import io.novacron.workflows.host.DomainStatus;
import io.novacron.workflows.host.HostActivities;
import io.novacron.workflows.migrate.CompletedJob;
import io.novacron.workflows.migrate.LiveMigrationRequest;
import io.novacron.workflows.migrate.MigrateVmRequest;
import io.novacron.workflows.migrate.MigrateVmResult;
import io.novacron.workflows.migrate.MigrateVmWorkflow;
import io.novacron.workflows.migrate.MigrateVmWorkflowImpl;
import io.novacron.workflows.migrate.MigrationActivities;
import io.novacron.workflows.migrate.MigrationMode;
import io.novacron.workflows.migrate.MigrationOutcome;
import io.novacron.workflows.migrate.MigrationSource;
import io.novacron.workflows.migrate.MigrationTarget;
import io.novacron.workflows.migrate.slots.MigrationSlotsWorkflow;
import io.novacron.workflows.migrate.slots.MigrationSlotsWorkflowImpl;
import io.novacron.workflows.migrate.slots.SlotBook;
import io.novacron.workflows.migrate.slots.SlotLimits;
import io.novacron.workflows.migrate.slots.SlotRequest;
import io.novacron.workflows.node.InventoryActivities;
import io.novacron.workflows.run.RunRecordActivities;
import io.novacron.workflows.run.RunState;
import io.novacron.workflows.run.RunStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mockito.Mockito;

/**
 * MigrateVm runs sharing the cluster's slot keeper: QUEUED beyond the limits, granted in order,
 * cancellable while queued. Each VM's live transfer blocks until the test lets it finish.
 */
@org.junit.jupiter.api.Timeout(value = 300)
class MigrationSlotsWorkflowTest {
  @RegisterExtension
  static final TestWorkflowExtension testWorkflow = TestWorkflowExtension.newBuilder()
      .setWorkflowTypes(MigrateVmWorkflowImpl.class, MigrationSlotsWorkflowImpl.class)
      .setDoNotStart(true)
      .build();

  /** Where each VM runs now; the node mocks answer from it. */
  private final Map<String, String> where = new ConcurrentHashMap<>();
  private final Map<String, CountDownLatch> transferring = new ConcurrentHashMap<>();
  private final Map<String, CountDownLatch> finish = new ConcurrentHashMap<>();
  private final Map<String, String> failWith = new ConcurrentHashMap<>();
  private final Map<String, MigrationActivities> migrations = new ConcurrentHashMap<>();
  private WorkflowClient client;
  private TestWorkflowEnvironment env;

  @BeforeEach
  void setUp(TestWorkflowEnvironment env, Worker worker, WorkflowClient client) {
    this.env = env;
    this.client = client;
    worker.registerActivitiesImplementations(mock(RunRecordActivities.class, withSettings().withoutAnnotations()),
        mock(InventoryActivities.class, withSettings().withoutAnnotations()),
        new MigrationSlotActivitiesImpl(SlotLimits.defaults()));
    for (String node : List.of("lab-a", "lab-b", "lab-c")) {
      MigrationActivities migration = migration(node);
      migrations.put(node, migration);
      env.newWorker(TaskQueues.host(node)).registerActivitiesImplementations(host(node), migration);
    }
    env.start();
  }

  @Test
  void a_third_migration_from_one_node_is_queued_and_runs_when_a_slot_frees(WorkflowOptions options) throws Exception {
    MigrateVmWorkflow m1 = start("vm1", "lab-a", options);
    MigrateVmWorkflow m2 = start("vm2", "lab-a", options);
    awaitTransfer("vm1");
    awaitTransfer("vm2");
    MigrateVmWorkflow m3 = start("vm3", "lab-a", options);

    RunStatus queued = awaitState(m3, RunState.QUEUED);
    assertThat(queued.phase()).isEqualTo("queued");
    // QUEUED is set before the request reaches the keeper.
    awaitUntil(() -> keeper().book().waits("migrate-vm3"));
    assertThat(keeper().book().queue()).extracting(SlotRequest::runId).containsExactly("migrate-vm3");
    assertThat(keeper().book().holders()).extracting(SlotRequest::runId)
        .containsExactlyInAnyOrder("migrate-vm1", "migrate-vm2");
    assertThat(transferring.get("vm3").getCount()).isEqualTo(1);

    finish("vm1");
    assertThat(result(m1).targetNode()).isEqualTo("lab-b");
    awaitTransfer("vm3");
    assertThat(m3.status().timeline()).extracting(e -> e.phase())
        .containsSubsequence("check", "queued", "check", "prepare-destination", "transfer");

    finish("vm2");
    finish("vm3");
    assertThat(result(m2).targetNode()).isEqualTo("lab-b");
    assertThat(result(m3).targetNode()).isEqualTo("lab-b");
    awaitEmptyBook();
  }

  @Test
  void a_waiting_migration_does_not_hold_back_one_from_another_node(WorkflowOptions options) throws Exception {
    start("vm1", "lab-a", options);
    start("vm2", "lab-a", options);
    awaitTransfer("vm1");
    awaitTransfer("vm2");
    MigrateVmWorkflow m3 = start("vm3", "lab-a", options);
    awaitState(m3, RunState.QUEUED);
    awaitUntil(() -> keeper().book().waits("migrate-vm3"));

    MigrateVmWorkflow m4 = start("vm4", "lab-c", options);
    awaitTransfer("vm4");
    assertThat(m3.status().state()).isEqualTo(RunState.QUEUED);

    for (String vm : List.of("vm1", "vm2", "vm3", "vm4")) {
      finish(vm);
    }
    assertThat(result(m4).sourceNode()).isEqualTo("lab-c");
    assertThat(result(m3).sourceNode()).isEqualTo("lab-a");
  }

  @Test
  void a_migration_cancelled_while_queued_ends_cancelled_having_touched_nothing(WorkflowOptions options)
      throws Exception {
    MigrateVmWorkflow m1 = start("vm1", "lab-a", options);
    MigrateVmWorkflow m2 = start("vm2", "lab-a", options);
    awaitTransfer("vm1");
    awaitTransfer("vm2");
    MigrateVmWorkflow m3 = start("vm3", "lab-a", options);
    awaitState(m3, RunState.QUEUED);
    awaitUntil(() -> keeper().book().waits("migrate-vm3"));

    WorkflowStub.fromTyped(m3).cancel();

    assertThatThrownBy(() -> result(m3)).isInstanceOf(WorkflowFailedException.class)
        .hasCauseInstanceOf(CanceledFailure.class);
    assertThat(m3.status().state()).isEqualTo(RunState.CANCELLED);
    assertThat(m3.status().timeline().get(m3.status().timeline().size() - 1).detail())
        .contains("nothing was touched");
    // Nothing touched: the source was at most described (the check's read-only questions go out
    // while queued); nothing was frozen, prepared or migrated.
    verify(migrations.get("lab-a"), never()).freezeDisk("vm3");
    verify(migrations.get("lab-a"), never()).migrateLive(Mockito.argThat(r -> r.vmName().equals("vm3")));
    verify(migrations.get("lab-b"), never()).prepareTarget(Mockito.argThat(r -> r.source().vmName().equals("vm3")));
    awaitUntil(() -> !keeper().book().runIds().contains("migrate-vm3"));

    finish("vm1");
    finish("vm2");
    result(m1);
    result(m2);
    awaitEmptyBook();
  }

  @Test
  void a_failed_migration_frees_its_slot_for_the_next(WorkflowOptions options) throws Exception {
    failWith.put("vm1", "libvirt failed the migration: connection reset");
    MigrateVmWorkflow m1 = start("vm1", "lab-a", options);
    MigrateVmWorkflow m2 = start("vm2", "lab-a", options);
    awaitTransfer("vm1");
    awaitTransfer("vm2");
    MigrateVmWorkflow m3 = start("vm3", "lab-a", options);
    awaitState(m3, RunState.QUEUED);
    awaitUntil(() -> keeper().book().waits("migrate-vm3"));

    finish("vm1");
    assertThatThrownBy(() -> result(m1)).isInstanceOf(WorkflowFailedException.class);
    awaitTransfer("vm3");

    finish("vm2");
    finish("vm3");
    result(m2);
    result(m3);
    awaitEmptyBook();
  }

  @Test
  void slots_of_runs_that_closed_without_releasing_are_freed_by_the_keeper(WorkflowOptions options) throws Exception {
    // Two holders that no longer exist (say, terminated before the keeper's book was carried over).
    SlotBook ghosts = SlotBook.empty(SlotLimits.defaults())
        .request(new SlotRequest("migrate-gone1", "lab-a", null))
        .request(new SlotRequest("migrate-gone2", "lab-a", null)).grant().book();
    MigrationSlotsWorkflow keeper = client.newWorkflowStub(MigrationSlotsWorkflow.class,
        WorkflowOptions.newBuilder(options).setWorkflowId(MigrationSlotsWorkflow.WORKFLOW_ID).build());
    WorkflowClient.start(keeper::keep, ghosts);
    MigrateVmWorkflow m3 = start("vm3", "lab-a", options);
    awaitState(m3, RunState.QUEUED);
    awaitUntil(() -> keeper().book().waits("migrate-vm3"));
    awaitUntil(() -> keeper.book().waits("migrate-vm3"));

    env.sleep(MigrationSlotsWorkflowImpl.REAP_EVERY.plusSeconds(30));

    awaitTransfer("vm3");
    finish("vm3");
    assertThat(result(m3).targetNode()).isEqualTo("lab-b");
    awaitEmptyBook();
  }

  private MigrateVmWorkflow start(String vm, String from, WorkflowOptions options) {
    where.put(vm, from);
    transferring.put(vm, new CountDownLatch(1));
    finish.put(vm, new CountDownLatch(1));
    MigrateVmWorkflow workflow = client.newWorkflowStub(MigrateVmWorkflow.class,
        WorkflowOptions.newBuilder(options).setWorkflowId("migrate-" + vm).build());
    WorkflowClient.start(workflow::migrate, new MigrateVmRequest(vm, from, "lab-b", MigrationMode.LIVE, null));
    return workflow;
  }

  private MigrationSlotsWorkflow keeper() {
    return client.newWorkflowStub(MigrationSlotsWorkflow.class, MigrationSlotsWorkflow.WORKFLOW_ID);
  }

  private void awaitTransfer(String vm) throws InterruptedException {
    assertThat(transferring.get(vm).await(30, TimeUnit.SECONDS)).as(vm + " transferring").isTrue();
  }

  private void finish(String vm) {
    finish.get(vm).countDown();
  }

  private static MigrateVmResult result(MigrateVmWorkflow workflow) {
    return WorkflowStub.fromTyped(workflow).getResult(MigrateVmResult.class);
  }

  private static RunStatus awaitState(MigrateVmWorkflow workflow, RunState state) throws Exception {
    awaitUntil(() -> workflow.status() != null && workflow.status().state() == state);
    return workflow.status();
  }

  private void awaitEmptyBook() throws Exception {
    awaitUntil(() -> keeper().book().runIds().isEmpty());
  }

  /** Polls a condition the workflows reach asynchronously; fails after 30 s, never on timing. */
  private static void awaitUntil(Supplier<Boolean> condition) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.get()) {
      assertThat(System.nanoTime()).as("condition reached within 30 s").isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  private HostActivities host(String node) {
    HostActivities host = mock(HostActivities.class, withSettings().withoutAnnotations());
    Mockito.when(host.status(anyString())).thenAnswer(call -> {
      String vm = call.getArgument(0);
      boolean here = node.equals(where.get(vm));
      return new DomainStatus(vm, here ? "uuid-" + vm : null, here ? "running" : "absent", "qemu", null);
    });
    return host;
  }

  /** The VM runs where the test put it and nowhere else; no node keeps files of it. */
  private io.novacron.workflows.migrate.DomainProbe probe(String node, String vm) {
    boolean here = node.equals(where.get(vm));
    return new io.novacron.workflows.migrate.DomainProbe(node, vm, here ? "uuid-" + vm : null,
        here ? "running" : "absent", "", null, io.novacron.workflows.migrate.VmFiles.NONE);
  }

  private MigrationActivities migration(String node) {
    MigrationActivities migration = mock(MigrationActivities.class, withSettings().withoutAnnotations());
    Mockito.when(migration.describeSource(anyString())).thenAnswer(call -> {
      String vm = call.getArgument(0);
      return new MigrationSource(vm, "uuid-" + vm, "running", "<domain/>", "<cpu/>", "/" + node + "/" + vm,
          1L << 30, 128L << 20);
    });
    Mockito.when(migration.prepareTarget(any())).thenReturn(
        new MigrationTarget("/" + node + "/disk", "<domain/>", "qemu+tcp://" + node + "/system", "/" + node + "/state"));
    Mockito.when(migration.migrateLive(any())).thenAnswer(call -> {
      String vm = ((LiveMigrationRequest) call.getArgument(0)).vmName();
      transferring.get(vm).countDown();
      while (!finish.get(vm).await(100, TimeUnit.MILLISECONDS)) {
        io.temporal.activity.Activity.getExecutionContext().heartbeat(null);
      }
      if (failWith.containsKey(vm)) {
        throw ApplicationFailure.newNonRetryableFailure(failWith.get(vm), FailureTypes.MIGRATION_FAILED);
      }
      where.put(vm, "lab-b");
      return new MigrationOutcome(100, null, false);
    });
    Mockito.when(migration.completedJob(anyString())).thenReturn(new CompletedJob(10, 1000, 100));
    Mockito.when(migration.probe(anyString())).thenAnswer(call -> probe(node, call.getArgument(0)));
    Mockito.when(migration.removeCopy(any())).thenAnswer(call ->
        probe(node, ((io.novacron.workflows.migrate.RemoveCopyRequest) call.getArgument(0)).vmName()));
    return migration;
  }
}
