package io.novacron.workflows.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.withSettings;

import io.novacron.workflows.DataConversion;
import io.novacron.workflows.FailureTypes;
import io.novacron.workflows.Replays;
import io.novacron.workflows.TaskQueues;
import io.novacron.workflows.migrate.MigrateVmRequest;
import io.novacron.workflows.migrate.MigrateVmResult;
import io.novacron.workflows.migrate.MigrateVmWorkflow;
import io.novacron.workflows.migrate.MigrationMode;
import io.novacron.workflows.migrate.Resolution;
import io.novacron.workflows.run.RunItemActivities;
import io.novacron.workflows.run.RunItemChange;
import io.novacron.workflows.run.RunRecordActivities;
import io.novacron.workflows.run.RunStatus;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * DrainNode with the inventory faked in memory and MigrateVm replaced by a fake child that takes a
 * minute of workflow time and fails where a test says so: ordering, the parallel limit, the
 * policies, re-placement, cancel, and a replay of the history (what a control-plane crash does).
 */
class DrainNodeWorkflowTest {
  private static final String NODE = "node-a";

  /** What the fake MigrateVm does for "vm:mode"; absent = succeeds. */
  static final Map<String, String> FAILS = new ConcurrentHashMap<>();
  static final List<String> STARTED = new CopyOnWriteArrayList<>();
  static final AtomicInteger RUNNING = new AtomicInteger();
  static final AtomicInteger MOST_AT_ONCE = new AtomicInteger();
  static FakeFleet fleet;

  private final RunRecordActivities runs = mock(RunRecordActivities.class, withSettings().withoutAnnotations());
  private final List<RunItemChange> itemChanges = Collections.synchronizedList(new ArrayList<>());
  private TestWorkflowEnvironment env;

  @BeforeEach
  void setUp() {
    FAILS.clear();
    STARTED.clear();
    RUNNING.set(0);
    MOST_AT_ONCE.set(0);
    fleet = new FakeFleet();
    env = TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder()
        .setWorkflowClientOptions(DataConversion.clientOptions("default"))
        .build());
    Worker control = env.newWorker(TaskQueues.CONTROL);
    control.registerWorkflowImplementationTypes(DrainNodeWorkflowImpl.class, RebalanceWorkflowImpl.class,
        FakeMigrateVm.class);
    RunItemActivities items = itemChanges::add;
    control.registerActivitiesImplementations(fleet, runs, items);
    env.start();
  }

  @AfterEach
  void tearDown() {
    env.close();
  }

  @Test
  void drain_cordons_first_then_moves_every_vm_with_at_most_parallel_moves_at_once() {
    for (String vm : List.of("vm-1", "vm-2", "vm-3", "vm-4", "vm-5")) {
      fleet.add(vm, NODE, "running");
    }

    FleetRunResult result = drain(new DrainNodeRequest(NODE, null, 2, null, null));

    assertThat(fleet.calls.get(0)).isEqualTo("cordon " + NODE);
    assertThat(result.items()).extracting(FleetItem::state).containsOnly(FleetItem.MOVED);
    assertThat(STARTED).containsExactlyInAnyOrder("vm-1:LIVE", "vm-2:LIVE", "vm-3:LIVE", "vm-4:LIVE", "vm-5:LIVE");
    assertThat(MOST_AT_ONCE.get()).isEqualTo(2);
    assertThat(fleet.vms.values()).allMatch(v -> v.node().equals("node-b"));
    assertThat(result.summary()).contains("5 of 5 VMs moved").contains("cordoned and empty");
    assertThat(itemChanges).filteredOn(c -> c.state().equals(FleetItem.MOVED)).hasSize(5);
  }

  @Test
  void moves_start_in_plan_order() {
    fleet.add("big", NODE, "running");
    fleet.add("small", NODE, "running");
    fleet.order = List.of("big", "small");

    drain(new DrainNodeRequest(NODE, null, 1, null, null));

    assertThat(STARTED).containsExactly("big:LIVE", "small:LIVE");
  }

  @Test
  void a_dry_run_returns_the_plan_and_neither_cordons_nor_moves() {
    fleet.add("vm-1", NODE, "running");
    fleet.add("off", NODE, "shutoff");

    FleetRunResult result = drain(new DrainNodeRequest(NODE, null, null, true, null));

    assertThat(result.dryRun()).isTrue();
    assertThat(result.moves()).extracting(PlannedMove::vm).containsExactly("vm-1");
    assertThat(result.stays()).extracting(Stay::vm).containsExactly("off");
    assertThat(fleet.calls).noneMatch(c -> c.startsWith("cordon"));
    assertThat(STARTED).isEmpty();
  }

  @Test
  void live_then_cold_moves_a_vm_cold_after_its_live_move_failed() {
    fleet.add("vm-1", NODE, "running");
    FAILS.put("vm-1:LIVE", FailureTypes.MIGRATION_FAILED);

    FleetRunResult result = drain(new DrainNodeRequest(NODE, DrainPolicy.LIVE_THEN_COLD, null, null, null));

    assertThat(STARTED).containsExactly("vm-1:LIVE", "vm-1:COLD");
    assertThat(result.items().get(0).state()).isEqualTo(FleetItem.MOVED);
    assertThat(result.items().get(0).mode()).isEqualTo("cold");
  }

  @Test
  void a_cold_drain_moves_every_vm_cold_from_the_start() {
    fleet.add("vm-1", NODE, "running");
    fleet.add("vm-2", NODE, "running");

    FleetRunResult result = drain(new DrainNodeRequest(NODE, null, null, null, null, MigrationMode.COLD));

    assertThat(STARTED).containsExactlyInAnyOrder("vm-1:COLD", "vm-2:COLD");
    assertThat(result.moves()).extracting(PlannedMove::mode).containsOnly(MigrationMode.COLD);
  }

  @Test
  void live_or_fail_stops_starting_moves_and_the_drain_fails_naming_every_vm_that_stayed() {
    fleet.add("vm-1", NODE, "running");
    fleet.add("vm-2", NODE, "running");
    fleet.add("vm-3", NODE, "running");
    fleet.order = List.of("vm-1", "vm-2", "vm-3");
    FAILS.put("vm-1:LIVE", FailureTypes.MIGRATION_TIMEOUT);

    WorkflowFailedException failed = catchThrowableOfType(
        () -> drain(new DrainNodeRequest(NODE, null, 1, null, null)), WorkflowFailedException.class);

    ApplicationFailure cause = (ApplicationFailure) failed.getCause();
    assertThat(cause.getType()).isEqualTo(FailureTypes.DRAIN_INCOMPLETE);
    assertThat(cause.getOriginalMessage()).contains("0 of 3 VMs moved").contains("vm-1 (live move failed")
        .contains("vm-2 (not started: vm-1 could not move live").contains("vm-3 (not started");
    assertThat(STARTED).containsExactly("vm-1:LIVE");
    assertThat(fleet.vms.get("vm-2").node()).isEqualTo(NODE);
  }

  @Test
  void skip_leaves_the_vm_and_goes_on_and_a_vm_label_overrides_the_request() {
    fleet.add("pinned", NODE, "running", Map.of(DrainPolicy.LABEL, "skip"));
    fleet.add("vm-2", NODE, "running");
    fleet.order = List.of("pinned", "vm-2");
    FAILS.put("pinned:LIVE", FailureTypes.CPU_INCOMPATIBLE);

    WorkflowFailedException failed = catchThrowableOfType(
        () -> drain(new DrainNodeRequest(NODE, DrainPolicy.LIVE_OR_FAIL, 1, null, null)), WorkflowFailedException.class);

    assertThat(((ApplicationFailure) failed.getCause()).getOriginalMessage()).contains("1 of 2 VMs moved")
        .contains("pinned (live move failed (policy skip)");
    assertThat(STARTED).containsExactly("pinned:LIVE", "vm-2:LIVE");
    assertThat(fleet.vms.get("vm-2").node()).isEqualTo("node-b");
  }

  @Test
  void a_target_taken_by_another_run_is_placed_again() {
    fleet.add("vm-1", NODE, "running");
    FAILS.put("vm-1:LIVE@node-b", FailureTypes.NO_CAPACITY);
    fleet.nextTarget = "node-c";

    FleetRunResult result = drain(new DrainNodeRequest(NODE, null, null, null, null));

    assertThat(fleet.calls).contains("chooseTarget vm-1 [node-b, node-a]");
    assertThat(result.items().get(0).target()).isEqualTo("node-c");
    assertThat(fleet.vms.get("vm-1").node()).isEqualTo("node-c");
  }

  @Test
  void a_vm_moved_or_stopped_since_the_plan_is_not_moved() {
    fleet.add("vm-1", NODE, "running");
    fleet.add("vm-2", NODE, "running");
    fleet.afterPlan = () -> {
      fleet.add("vm-1", "node-z", "running");
      fleet.add("vm-2", NODE, "shutoff");
    };

    WorkflowFailedException failed = catchThrowableOfType(
        () -> drain(new DrainNodeRequest(NODE, null, null, null, null)), WorkflowFailedException.class);

    assertThat(STARTED).isEmpty();
    assertThat(((ApplicationFailure) failed.getCause()).getOriginalMessage())
        .contains("1 of 2 VMs moved").contains("vm-2 (shutoff: MigrateVm moves running guests only");
  }

  @Test
  void cancel_stops_starting_moves_and_lets_the_running_move_finish() throws Exception {
    fleet.add("vm-1", NODE, "running");
    fleet.add("vm-2", NODE, "running");
    fleet.order = List.of("vm-1", "vm-2");
    WorkflowStub stub = start(new DrainNodeRequest(NODE, null, 1, null, null));
    waitUntil(() -> STARTED.size() == 1);

    stub.cancel();

    WorkflowFailedException failed = catchThrowableOfType(() -> stub.getResult(FleetRunResult.class),
        WorkflowFailedException.class);
    assertThat(failed.getCause()).isInstanceOf(CanceledFailure.class);
    assertThat(STARTED).containsExactly("vm-1:LIVE");
    assertThat(fleet.vms.get("vm-1").node()).isEqualTo("node-b");
    assertThat(fleet.vms.get("vm-2").node()).isEqualTo(NODE);
    List<FleetItem> items = stub.query("items", FleetItem[].class) == null ? List.of()
        : List.of(stub.query("items", FleetItem[].class));
    assertThat(items).extracting(FleetItem::state).containsExactly(FleetItem.MOVED, FleetItem.STAYED);
    assertThat(items.get(1).detail()).contains("not started: the run was cancelled");
  }

  @Test
  void a_rebalance_plans_by_default_and_runs_its_moves_when_told() {
    fleet.add("vm-1", NODE, "running");
    fleet.add("vm-2", NODE, "running");
    FAILS.put("vm-2:LIVE", FailureTypes.MIGRATION_FAILED);

    FleetRunResult planned = rebalance(new RebalanceRequest(null, null, null, null), "rebalance-plan");
    assertThat(planned.dryRun()).isTrue();
    assertThat(planned.moves()).extracting(PlannedMove::vm).containsExactly("vm-1", "vm-2");
    assertThat(STARTED).isEmpty();

    FleetRunResult done = rebalance(new RebalanceRequest(2, false, 1, null), "rebalance-run");
    assertThat(fleet.calls).contains("planRebalance 2");
    assertThat(done.dryRun()).isFalse();
    // A rebalance move that fails is left where it is (skip), and the run still succeeds.
    assertThat(done.items()).extracting(FleetItem::state).containsExactly(FleetItem.MOVED, FleetItem.STAYED);
    assertThat(STARTED).containsExactly("vm-1:LIVE", "vm-2:LIVE");
  }

  private FleetRunResult rebalance(RebalanceRequest request, String id) {
    RebalanceWorkflow workflow = env.getWorkflowClient().newWorkflowStub(RebalanceWorkflow.class,
        WorkflowOptions.newBuilder().setTaskQueue(TaskQueues.CONTROL).setWorkflowId(id).build());
    return workflow.rebalance(request);
  }

  @Test
  void an_invalid_request_fails_before_anything_is_touched() {
    WorkflowFailedException failed = catchThrowableOfType(
        () -> drain(new DrainNodeRequest(NODE, null, 0, null, null)), WorkflowFailedException.class);

    assertThat(((ApplicationFailure) failed.getCause()).getType()).isEqualTo(FailureTypes.INVALID_SPEC);
    assertThat(((ApplicationFailure) failed.getCause()).getOriginalMessage()).contains("parallel");
    assertThat(fleet.calls).isEmpty();
  }

  @Test
  void the_history_replays_without_a_second_move_as_after_a_control_plane_crash() throws Exception {
    fleet.add("vm-1", NODE, "running");
    fleet.add("vm-2", NODE, "running");
    FAILS.put("vm-1:LIVE", FailureTypes.MIGRATION_FAILED);
    WorkflowStub stub = start(new DrainNodeRequest(NODE, DrainPolicy.LIVE_THEN_COLD, 2, null, null));
    stub.getResult(FleetRunResult.class);
    WorkflowExecution execution = stub.getExecution();

    // A replay that issued another child, or another order of steps, fails as nondeterministic.
    Replays.replay(
        env.getWorkflowClient().fetchHistory(execution.getWorkflowId()), DrainNodeWorkflowImpl.class);
    assertThat(STARTED).hasSize(3);
  }

  private FleetRunResult drain(DrainNodeRequest request) {
    return start(request).getResult(FleetRunResult.class);
  }

  private WorkflowStub start(DrainNodeRequest request) {
    DrainNodeWorkflow workflow = env.getWorkflowClient().newWorkflowStub(DrainNodeWorkflow.class,
        WorkflowOptions.newBuilder().setTaskQueue(TaskQueues.CONTROL).setWorkflowId("drain-test").build());
    WorkflowClient.start(workflow::drain, request);
    return WorkflowStub.fromTyped(workflow);
  }

  private static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("condition not met in 20 s");
      }
      Thread.sleep(20);
    }
  }

  /** MigrateVm as a child sees it: a minute of workflow time, then moved, or the failure a test set. */
  public static class FakeMigrateVm implements MigrateVmWorkflow {
    @Override
    public MigrateVmResult migrate(MigrateVmRequest request) {
      STARTED.add(request.vmName() + ":" + request.mode());
      MOST_AT_ONCE.accumulateAndGet(RUNNING.incrementAndGet(), Math::max);
      try {
        Workflow.sleep(Duration.ofMinutes(1));
      } finally {
        RUNNING.decrementAndGet();
      }
      String failure = FAILS.getOrDefault(request.vmName() + ":" + request.mode() + "@" + request.targetNode(),
          FAILS.get(request.vmName() + ":" + request.mode()));
      if (failure != null) {
        throw ApplicationFailure.newNonRetryableFailure(request.vmName() + " failed (" + failure + ")", failure);
      }
      fleet.add(request.vmName(), request.targetNode(), "running");
      return new MigrateVmResult(request.vmName(), request.sourceNode(), request.targetNode(), 1, 1, 1, 1, false);
    }

    @Override
    public RunStatus status() {
      return null;
    }

    @Override
    public void forceComplete() {}

    @Override
    public void slotGranted() {}

    @Override
    public String resolve(Resolution resolution) {
      return "";
    }

    @Override
    public void validateResolve(Resolution resolution) {}
  }

  /** The inventory in memory; plans every running VM of the node to node-b. */
  static final class FakeFleet implements FleetActivities {
    final Map<String, VmLoad> vms = new ConcurrentHashMap<>();
    final List<String> calls = new CopyOnWriteArrayList<>();
    volatile List<String> order;
    volatile String nextTarget;
    volatile Runnable afterPlan = () -> {};

    void add(String name, String node, String state) {
      VmLoad old = vms.get(name);
      add(name, node, state, old == null ? Map.of() : old.labels());
    }

    void add(String name, String node, String state, Map<String, String> labels) {
      vms.put(name, new VmLoad(name, node, state, 1, 256, 1, null, List.of(), labels));
    }

    @Override
    public String cordon(String node, String reason) {
      calls.add("cordon " + node);
      return reason;
    }

    @Override
    public DrainPlanner.DrainPlan planDrain(String node, DrainPolicy defaultPolicy) {
      calls.add("planDrain " + node);
      List<String> names = order != null ? order : vms.keySet().stream().sorted().toList();
      List<PlannedMove> moves = new ArrayList<>();
      List<Stay> stays = new ArrayList<>();
      for (String name : names) {
        VmLoad vm = vms.get(name);
        if (vm.running()) {
          moves.add(new PlannedMove(name, node, "node-b", MigrationMode.LIVE, DrainPolicy.forVm(vm, defaultPolicy),
              "test"));
        } else {
          stays.add(new Stay(name, vm.state()));
        }
      }
      afterPlan.run();
      return new DrainPlanner.DrainPlan(node, moves, stays);
    }

    @Override
    public RebalancePlanner.RebalancePlan planRebalance(int maxMoves) {
      calls.add("planRebalance " + maxMoves);
      List<PlannedMove> moves = vms.values().stream().filter(VmLoad::running).sorted(
          java.util.Comparator.comparing(VmLoad::name)).limit(maxMoves)
          .map(vm -> new PlannedMove(vm.name(), vm.node(), "node-b", MigrationMode.LIVE,
              DrainPolicy.forVm(vm, DrainPolicy.SKIP), "test"))
          .toList();
      return new RebalancePlanner.RebalancePlan(moves, List.of(), List.of(), 0.5, 0.1, moves.size() + " moves");
    }

    @Override
    public VmLoad vm(String vmName) {
      return vms.get(vmName);
    }

    @Override
    public TargetChoice chooseTarget(String vmName, List<String> excludedNodes) {
      calls.add("chooseTarget " + vmName + " " + excludedNodes);
      return new TargetChoice(nextTarget, nextTarget == null ? "none" : "test");
    }
  }
}
