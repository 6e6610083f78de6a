package io.novacron.control.model;

import io.novacron.control.shared.OrderCheck;
import io.novacron.control.inventory.NodeRepository;
import io.novacron.control.run.RunRepository;
import io.novacron.workflows.model.deploy.DeployModelRequest;
import io.novacron.workflows.model.deploy.DeployModelValidator;
import io.novacron.workflows.model.deploy.DeployModelWorkflow;
import io.novacron.workflows.FieldError;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Service;

/**
 * Checks a model deployment before it is launched: its fields, that its nodes are known, and that
 * no other run of the same deployment runs. The REST API and the dashboard both go through here, so
 * that they refuse the same things with the same words.
 */
@Service
public class DeployOrders {
  private final NodeRepository nodes;
  private final RunRepository runs;

  DeployOrders(NodeRepository nodes, RunRepository runs) {
    this.nodes = nodes;
    this.runs = runs;
  }

  /** 400 for bad fields or unknown nodes, 409 while another run of the deployment runs. */
  public OrderCheck<DeployModelRequest> check(DeployModelRequest request) {
    List<FieldError> errors = new ArrayList<>(DeployModelValidator.validate(request));
    if (errors.isEmpty()) {
      // The workflow would fail the same way within 30 s; saying it here saves a run.
      if (!nodes.existsById(request.sourceNode())) {
        errors.add(new FieldError("sourceNode", unknown(request.sourceNode())));
      }
      for (int i = 0; i < request.nodes().size(); i++) {
        if (!nodes.existsById(request.nodes().get(i))) {
          errors.add(new FieldError("nodes[" + i + "]", unknown(request.nodes().get(i))));
        }
      }
    }
    if (!errors.isEmpty()) {
      return OrderCheck.invalid(errors);
    }
    // The agents refuse a second run too (DeploymentBusy), but only at launch, after its shards
    // have landed over the serving ones.
    Optional<String> running = runs.findActive(DeployModelWorkflow.TYPE, request.name());
    if (running.isPresent()) {
      return OrderCheck.conflict("deployment '" + request.name() + "' is running as run "
          + running.get() + "; stop it first (POST /api/v1/deployments/" + running.get() + "/stop)");
    }
    return OrderCheck.accepted(request);
  }

  private static String unknown(String node) {
    return "'" + node + "' is not a known node; pick one of GET /api/v1/nodes (a GPU agent announces its node)";
  }
}
