package io.novacron.workflows.fleet;

import io.novacron.workflows.FieldError;
import io.novacron.workflows.migrate.MigrateVmValidator;
import java.util.ArrayList;
import java.util.List;

/**
 * Every rule a drain or rebalance request must meet by itself, for every way in (REST, dashboard,
 * CLI, the Temporal CLI through the workflow). All errors at once, each naming its field and the fix.
 */
public final class FleetRequestValidator {
  private FleetRequestValidator() {}

  public static List<FieldError> validate(DrainNodeRequest request) {
    List<FieldError> errors = new ArrayList<>();
    if (request == null) {
      errors.add(new FieldError("request", "send node and optionally policy, parallel, dryRun and options"));
      return errors;
    }
    if (request.node() == null || request.node().isBlank()) {
      errors.add(new FieldError("node", "name the node to drain (see GET /api/v1/nodes)"));
    }
    parallel(errors, request.parallel());
    errors.addAll(MigrateVmValidator.optionErrors(request.options()));
    return errors;
  }

  public static List<FieldError> validate(RebalanceRequest request) {
    List<FieldError> errors = new ArrayList<>();
    if (request == null) {
      errors.add(new FieldError("request", "send {} for a plan, or maxMoves, dryRun, parallel and options"));
      return errors;
    }
    if (request.maxMoves() != null && (request.maxMoves() < 1 || request.maxMoves() > RebalanceRequest.MAX_MOVES)) {
      errors.add(new FieldError("maxMoves", "must be between 1 and " + RebalanceRequest.MAX_MOVES + ", was "
          + request.maxMoves()));
    }
    parallel(errors, request.parallel());
    errors.addAll(MigrateVmValidator.optionErrors(request.options()));
    return errors;
  }

  private static void parallel(List<FieldError> errors, Integer parallel) {
    if (parallel != null && (parallel < 1 || parallel > DrainNodeRequest.MAX_PARALLEL)) {
      errors.add(new FieldError("parallel", "must be between 1 and " + DrainNodeRequest.MAX_PARALLEL + ", was "
          + parallel));
    }
  }
}
