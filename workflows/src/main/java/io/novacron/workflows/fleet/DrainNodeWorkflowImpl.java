package io.novacron.workflows.fleet;

import io.novacron.workflows.migrate.MigrationMode;
import io.novacron.workflows.run.RunStatus;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.Workflow;
import java.util.List;

/** {@link DrainNodeWorkflow}: validate, (dry run: plan and return), cordon, plan, move, end. */
public class DrainNodeWorkflowImpl implements DrainNodeWorkflow {
  private final FleetActivities fleet = FleetSteps.activities();
  private FleetRun run;

  @Override
  public FleetRunResult drain(DrainNodeRequest request) {
    run = new FleetRun(TYPE, request == null ? null : request.node(), request);
    run.refuse(FleetRequestValidator.validate(request));
    String node = request.node();
    run.tracker().setNode(node);
    DrainPlanner.DrainPlan plan;
    try {
      if (!request.isDryRun()) {
        run.tracker().enter("cordon", node);
        fleet.cordon(node, "drain run " + Workflow.getInfo().getWorkflowId());
      }
      run.tracker().enter("plan", node);
      plan = inMode(fleet.planDrain(node, request.policyOrDefault()), request.modeOrDefault());
      if (request.isDryRun()) {
        return run.planned(plan.moves(), plan.stays(), summary(plan));
      }
      run.move(plan.moves(), plan.stays(), node, request.parallelOrDefault(), request.options());
    } catch (TemporalFailure e) {
      throw run.failed(e);
    }
    return run.ended(plan.moves(), plan.stays(), node + " is cordoned and empty", true);
  }

  /** The plan with every move in {@code mode} (the planner plans live moves). */
  public static DrainPlanner.DrainPlan inMode(DrainPlanner.DrainPlan plan, MigrationMode mode) {
    return new DrainPlanner.DrainPlan(plan.node(), plan.moves().stream().map(m -> m.withMode(mode)).toList(),
        plan.stays());
  }

  /** What a dry run found, in one sentence. */
  public static String summary(DrainPlanner.DrainPlan plan) {
    return plan.moves().size() + " VMs would move off " + plan.node()
        + (plan.stays().isEmpty() ? ", leaving it empty" : "; " + plan.stays().size() + " would stay");
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
