package io.novacron.control.fleet;

import io.novacron.control.node.NodeCordons;
import io.novacron.control.shared.ConflictException;
import io.novacron.control.shared.IdempotencyKey;
import io.novacron.control.shared.InvalidRequestException;
import io.novacron.control.shared.RunAccepted;
import io.novacron.control.shared.RunLauncher;
import io.novacron.workflows.FieldError;
import io.novacron.workflows.fleet.DrainNodeRequest;
import io.novacron.workflows.fleet.DrainNodeWorkflowImpl;
import io.novacron.workflows.fleet.DrainPlanner;
import io.novacron.workflows.fleet.DrainPolicy;
import io.novacron.workflows.fleet.FleetRequestValidator;
import io.novacron.workflows.fleet.PlannedMove;
import io.novacron.workflows.fleet.RebalancePlanner;
import io.novacron.workflows.fleet.RebalanceRequest;
import io.novacron.workflows.fleet.Stay;
import io.novacron.workflows.migrate.MigrationMode;
import io.novacron.workflows.migrate.MigrationOptions;
import java.util.ArrayList;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Service;

/**
 * Checks drain and rebalance orders and answers them: a dry run's plan at once (200), or a run
 * (202). The REST API and the dashboard both go through here.
 */
@Service
public class FleetOrders {
  private final FleetPlans plans;
  private final RunLauncher launcher;
  private final NodeCordons cordons;

  FleetOrders(FleetPlans plans, RunLauncher launcher, NodeCordons cordons) {
    this.plans = plans;
    this.launcher = launcher;
    this.cordons = cordons;
  }

  /**
   * A drain as the API takes it; the node comes from the path.
   *
   * @param policy {@code live-or-fail} (default), {@code live-then-cold} or {@code skip}
   * @param mode {@code live} (default), {@code warm} or {@code cold}: how every VM moves first
   */
  public record DrainOrder(String policy, Integer parallel, Boolean dryRun, MigrationOptions options, String mode) {}

  /** A dry run's answer: the plan and a sentence. */
  public record DrainPreview(String node, List<PlannedMove> moves, List<Stay> stays, boolean empties, String summary) {}

  /** The drain request for {@code node}, or a 400 naming every bad field. */
  public DrainNodeRequest drainRequest(String node, DrainOrder order) {
    DrainOrder o = order == null ? new DrainOrder(null, null, null, null, null) : order;
    List<FieldError> errors = new ArrayList<>();
    DrainPolicy policy = null;
    if (o.policy() != null) {
      policy = DrainPolicy.parse(o.policy()).orElse(null);
      if (policy == null) {
        errors.add(new FieldError("policy", "unknown policy '" + o.policy() + "'; use live-or-fail, live-then-cold or skip"));
      }
    }
    MigrationMode mode = null;
    if (o.mode() != null) {
      mode = switch (o.mode()) {
        case "live" -> MigrationMode.LIVE;
        case "warm" -> MigrationMode.WARM;
        case "cold" -> MigrationMode.COLD;
        default -> null;
      };
      if (mode == null) {
        errors.add(new FieldError("mode", "unknown mode '" + o.mode() + "'; use live (default), warm or cold"));
      }
    }
    DrainNodeRequest request = new DrainNodeRequest(node, policy, o.parallel(), o.dryRun(), o.options(), mode);
    errors.addAll(FleetRequestValidator.validate(request));
    if (!errors.isEmpty()) {
      throw new InvalidRequestException(errors);
    }
    return request;
  }

  /** 200 and the plan for a dry run, else 202 and the DrainNode run; 409 while another drain of the node runs. */
  public ResponseEntity<?> drain(String node, DrainOrder order, String idempotencyKey) {
    IdempotencyKey.check(idempotencyKey).ifPresent(error -> {
      throw new InvalidRequestException(List.of(error));
    });
    DrainNodeRequest request = drainRequest(node, order);
    if (request.isDryRun()) {
      return ResponseEntity.ok(preview(DrainNodeWorkflowImpl.inMode(plans.drain(node, request.policyOrDefault()),
          request.modeOrDefault())));
    }
    return RunAccepted.response(startDrain(request, idempotencyKey));
  }

  /** What a drain of {@code node} would do now. */
  public DrainPreview previewDrain(String node, DrainPolicy policy) {
    return preview(plans.drain(node, policy));
  }

  /**
   * Starts a DrainNode run (a retry with the same idempotency key names the same run) and returns
   * its id.
   *
   * @throws ConflictException while another drain of the node runs
   */
  public String startDrain(DrainNodeRequest request, String idempotencyKey) {
    String node = request.node();
    String runId = RunLauncher.runId("drain", node, idempotencyKey);
    cordons.runningDrain(node).filter(running -> !running.equals(runId)).ifPresent(running -> {
      throw new ConflictException("node '" + node + "' is already being drained by run " + running
          + "; watch it (GET /api/v1/runs/" + running + ") or cancel it first");
    });
    launcher.drain(runId, request);
    return runId;
  }

  static DrainPreview preview(DrainPlanner.DrainPlan plan) {
    return new DrainPreview(plan.node(), plan.moves(), plan.stays(), plan.stays().isEmpty(),
        DrainNodeWorkflowImpl.summary(plan));
  }

  /** 200 and the plan for a dry run (the default), else 202 and the Rebalance run. */
  public ResponseEntity<?> rebalance(RebalanceRequest order, String idempotencyKey) {
    IdempotencyKey.check(idempotencyKey).ifPresent(error -> {
      throw new InvalidRequestException(List.of(error));
    });
    RebalanceRequest request = order == null ? new RebalanceRequest(null, null, null, null) : order;
    List<FieldError> errors = FleetRequestValidator.validate(request);
    if (!errors.isEmpty()) {
      throw new InvalidRequestException(errors);
    }
    if (request.isDryRun()) {
      RebalancePlanner.RebalancePlan plan = plans.rebalance(request.maxMovesOrDefault());
      return ResponseEntity.ok(plan);
    }
    String runId = RunLauncher.runId("rebalance", "cluster", idempotencyKey);
    launcher.rebalance(runId, request);
    return RunAccepted.response(runId);
  }
}
