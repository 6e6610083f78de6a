package io.novacron.workflows.fleet;

import io.novacron.workflows.FailureTypes;
import io.novacron.workflows.TaskQueues;
import io.novacron.workflows.migrate.MigrateVmRequest;
import io.novacron.workflows.migrate.MigrateVmWorkflow;
import io.novacron.workflows.migrate.MigrationMode;
import io.novacron.workflows.migrate.MigrationOptions;
import io.novacron.workflows.run.FailureReason;
import io.novacron.workflows.run.RunItemActivities;
import io.novacron.workflows.run.RunItemChange;
import io.temporal.activity.LocalActivityOptions;
import io.temporal.api.enums.v1.ParentClosePolicy;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.ChildWorkflowFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs the moves of a fleet plan (a drain's, a rebalance's) as MigrateVm child runs, at most
 * {@code parallel} at a time, and keeps every VM's item in the run record. Workflow code: only for
 * use inside a workflow.
 *
 * <p>Each move is decided on the inventory's truth just before it starts: a VM no longer on its
 * source (moved by someone else, deleted, stopped) is not moved. A move refused for capacity is
 * placed again (another run took the room); a live move that failed is handled by the VM's
 * {@link DrainPolicy}. Cancel stops starting moves; the moves already running are left to end by
 * their own rules (they run in a detached scope, so the parent's cancel never reaches them), and
 * the batch waits for them so that its record says where every VM ended. A crash of the control
 * plane replays the batch: Temporal's history holds each child, so no VM is moved twice.
 */
final class MoveBatch {
  /** Placements tried for one VM when targets keep being taken by other runs. */
  static final int MAX_PLACEMENTS = 3;
  /** A MigrateVm child's own completion timeout ends it long before this. */
  static final Duration CHILD_TIMEOUT = Duration.ofDays(1);

  private final FleetActivities fleet = FleetSteps.activities();
  private final RunItemActivities records = Workflow.newLocalActivityStub(RunItemActivities.class,
      LocalActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofSeconds(10))
          .setScheduleToCloseTimeout(Duration.ofMinutes(10))
          .build());
  private final String runId = Workflow.getInfo().getWorkflowId();
  private final Map<String, FleetItem> items = new LinkedHashMap<>();
  private final int parallel;
  private final MigrationOptions options;
  private final CancellationScope parent;
  private String stopReason;
  private long version;

  /**
   * @param parallel moves at once (each still waits for a cluster migration slot)
   * @param options the live moves' tuning; null for MigrateVm's defaults
   */
  MoveBatch(int parallel, MigrationOptions options) {
    this.parallel = parallel;
    this.options = options;
    this.parent = CancellationScope.current();
  }

  /** Every VM of the plan as the run has it now, in plan order. */
  List<FleetItem> items() {
    return List.copyOf(items.values());
  }

  /** Why the batch stopped starting moves (a cancel, a failed live-or-fail move), or null. */
  String stopReason() {
    return stopReason;
  }

  /** Records the plan: its moves as planned, its stays as stayed. */
  void plan(List<PlannedMove> moves, List<Stay> stays, String source) {
    for (PlannedMove move : moves) {
      record(new FleetItem(move.vm(), items.size(), FleetItem.PLANNED, move.source(), move.target(), null, null,
          move.why()));
    }
    for (Stay stay : stays) {
      record(new FleetItem(stay.vm(), items.size(), FleetItem.STAYED, source, null, null, null, stay.reason()));
    }
  }

  /** Runs the moves (recorded by {@link #plan} first) and returns once every started one ended. */
  void run(List<PlannedMove> moves) {
    Workflow.newDetachedCancellationScope(() -> drive(moves)).run();
  }

  private void drive(List<PlannedMove> moves) {
    Deque<PlannedMove> queue = new ArrayDeque<>(moves);
    List<Promise<Void>> running = new ArrayList<>();
    while (!queue.isEmpty() || !running.isEmpty()) {
      noticeCancel();
      while (stopReason == null && running.size() < parallel && !queue.isEmpty()) {
        PlannedMove move = queue.poll();
        running.add(Async.procedure(() -> move(move)));
      }
      if (stopReason != null) {
        for (PlannedMove left : queue) {
          stay(left.vm(), "not started: " + stopReason);
        }
        queue.clear();
      }
      if (!running.isEmpty()) {
        Workflow.await(() -> running.stream().anyMatch(Promise::isCompleted)
            || (stopReason == null && parent.isCancelRequested()));
        running.removeIf(Promise::isCompleted);
      }
    }
  }

  private void noticeCancel() {
    if (stopReason == null && parent.isCancelRequested()) {
      stopReason = "the run was cancelled";
    }
  }

  /** Moves one VM: live first, then as its policy says; places it again when its target filled up. */
  private void move(PlannedMove planned) {
    String target = planned.target();
    Set<String> tried = new HashSet<>();
    MigrationMode mode = planned.mode();
    int attempt = 0;
    while (true) {
      VmLoad now = fleet.vm(planned.vm());
      String moot = moot(planned, now);
      if (moot != null) {
        if (now != null && !planned.source().equals(now.node())) {
          moved(planned.vm(), now.node(), null, moot);
        } else {
          stay(planned.vm(), moot);
        }
        return;
      }
      attempt++;
      String child = runId + "-" + planned.vm() + "-" + attempt;
      update(planned.vm(), FleetItem.MOVING, target, mode, child, mode.name().toLowerCase() + " move to " + target);
      String failure;
      String type;
      try {
        migration(child).migrate(new MigrateVmRequest(planned.vm(), planned.source(), target, mode,
            mode == MigrationMode.LIVE ? options : null));
        moved(planned.vm(), target, child, "moved " + mode.name().toLowerCase() + " to " + target);
        return;
      } catch (ChildWorkflowFailure e) {
        failure = FailureReason.of(e);
        type = failureType(e);
      }
      VmLoad after = fleet.vm(planned.vm());
      if (after != null && !planned.source().equals(after.node())) {
        // The move failed as a run but the VM ended elsewhere (the settlement kept the target copy).
        moved(planned.vm(), after.node(), child, "ended on " + after.node() + " though its run failed: " + failure);
        return;
      }
      tried.add(target);
      if (FailureTypes.NO_CAPACITY.equals(type) && tried.size() < MAX_PLACEMENTS && stopReason == null) {
        List<String> excluded = new ArrayList<>(tried);
        excluded.add(planned.source());
        FleetActivities.TargetChoice choice = fleet.chooseTarget(planned.vm(), excluded);
        if (choice.node() != null) {
          target = choice.node();
          continue;
        }
        stay(planned.vm(), "no node can take it any more: " + choice.why());
        return;
      }
      if (mode == MigrationMode.LIVE && planned.policy() == DrainPolicy.LIVE_THEN_COLD && liveOnly(type)
          && stopReason == null) {
        mode = MigrationMode.COLD;
        continue;
      }
      if (planned.policy() == DrainPolicy.LIVE_OR_FAIL && stopReason == null) {
        stopReason = planned.vm() + " could not move live (policy live-or-fail): " + failure;
      }
      stay(planned.vm(), mode.name().toLowerCase() + " move failed (policy " + planned.policy().wire() + "): "
          + failure);
      return;
    }
  }

  /** Why moving {@code planned} makes no sense any more, or null while it does. */
  static String moot(PlannedMove planned, VmLoad now) {
    if (now == null) {
      return "no longer in the inventory (deleted?)";
    }
    if (!planned.source().equals(now.node())) {
      return "already on " + now.node() + " (moved by another run)";
    }
    if (!now.running()) {
      return now.state() + ": MigrateVm moves running guests only; start it to move it";
    }
    return null;
  }

  /**
   * Whether a failure of that type is one a cold move can get past: the live transfer itself failed
   * or the target's CPU cannot take the running guest. Not capacity, conflicts or absent nodes, which
   * a cold move would meet as well.
   */
  static boolean liveOnly(String failureType) {
    return FailureTypes.MIGRATION_FAILED.equals(failureType) || FailureTypes.MIGRATION_TIMEOUT.equals(failureType)
        || FailureTypes.CPU_INCOMPATIBLE.equals(failureType);
  }

  private static String failureType(ChildWorkflowFailure e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ApplicationFailure application) {
        return application.getType();
      }
      if (t instanceof ActivityFailure) {
        break;
      }
    }
    return null;
  }

  private MigrateVmWorkflow migration(String childRunId) {
    return Workflow.newChildWorkflowStub(MigrateVmWorkflow.class, ChildWorkflowOptions.newBuilder()
        .setWorkflowId(childRunId)
        .setTaskQueue(TaskQueues.CONTROL)
        .setWorkflowExecutionTimeout(CHILD_TIMEOUT)
        // A terminated parent leaves its moves to end by their own rules: each one is safe alone.
        .setParentClosePolicy(ParentClosePolicy.PARENT_CLOSE_POLICY_ABANDON)
        .build());
  }

  private void moved(String vm, String node, String child, String detail) {
    FleetItem item = items.get(vm);
    update(vm, FleetItem.MOVED, node, item.mode() == null ? null : MigrationMode.valueOf(item.mode().toUpperCase()),
        child == null ? item.childRun() : child, detail);
  }

  private void stay(String vm, String reason) {
    FleetItem item = items.get(vm);
    record(item.with(FleetItem.STAYED, null, item.mode(), item.childRun(), reason));
  }

  private void update(String vm, String state, String target, MigrationMode mode, String child, String detail) {
    FleetItem item = items.get(vm);
    record(item.with(state, target, mode == null ? null : mode.name().toLowerCase(), child, detail));
  }

  private void record(FleetItem item) {
    items.put(item.vm(), item);
    try {
      records.item(new RunItemChange(runId, item.vm(), item.seq(), item.state(), item.target(), item.childRun(),
          item.detail(), ++version, Workflow.currentTimeMillis()));
    } catch (ActivityFailure e) {
      // The record is a projection: the workflow's own state (the items query) stays the truth.
      Workflow.getLogger(MoveBatch.class).warn("run item not recorded: {}", FailureReason.of(e));
    }
  }
}
