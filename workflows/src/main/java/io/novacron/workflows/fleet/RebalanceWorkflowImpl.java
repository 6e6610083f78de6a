package io.novacron.workflows.fleet;

import io.novacron.workflows.run.RunStatus;
import io.temporal.failure.TemporalFailure;
import java.util.List;

/** {@link RebalanceWorkflow}: validate, plan, (dry run: return), move, end. */
public class RebalanceWorkflowImpl implements RebalanceWorkflow {
  private final FleetActivities fleet = FleetSteps.activities();
  private FleetRun run;

  @Override
  public FleetRunResult rebalance(RebalanceRequest request) {
    run = new FleetRun(TYPE, "cluster", request);
    run.refuse(FleetRequestValidator.validate(request));
    RebalancePlanner.RebalancePlan plan;
    try {
      run.tracker().enter("plan");
      plan = fleet.planRebalance(request.maxMovesOrDefault());
      if (request.isDryRun() || plan.moves().isEmpty()) {
        return run.planned(plan.moves(), List.of(), plan.summary());
      }
      run.move(plan.moves(), List.of(), null, request.parallelOrDefault(), request.options());
    } catch (TemporalFailure e) {
      throw run.failed(e);
    }
    return run.ended(plan.moves(), List.of(), plan.summary(), false);
  }

  @Override
  public RunStatus status() {
    return run == null ? null : run.tracker().status();
  }

  @Override
  public List<FleetItem> items() {
    return run == null ? List.of() : run.items();
  }
}
