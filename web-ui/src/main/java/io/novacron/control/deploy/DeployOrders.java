package io.novacron.control.deploy;

import io.novacron.control.inventory.NodeRepository;
import io.novacron.control.run.RunRepository;
import io.novacron.workflows.model.deploy.DeployModelRequest;
import io.novacron.workflows.model.deploy.DeployModelValidator;
import io.novacron.workflows.model.deploy.DeployModelWorkflow;
import io.novacron.workflows.FieldError;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.springframework.stereotype.Service;

/**
 * Checks a model deployment before it is launched: its fields, that its nodes are known, and that
 * no other run of the same deployment runs. The REST API and the dashboard both go through here, so
 * that they refuse the same things with the same words.
 */
@Service
public class DeployOrders {
  /** What the check found. */
  public enum Verdict {
    /** The deployment may start. */
    ACCEPTED,
    /** A field is bad or names an unknown node: {@link Checked#errors()} names each (400). */
    INVALID,
    /** Another run of this deployment runs (409); {@link Checked#message()} names it. */
    BUSY
  }

  /** The verdict, the field errors of an INVALID one and the sentence for the others. */
  public record Checked(Verdict verdict, List<FieldError> errors, String message) {
    public boolean accepted() {
      return verdict == Verdict.ACCEPTED;
    }
  }

  private final NodeRepository nodes;
  private final RunRepository runs;

  DeployOrders(NodeRepository nodes, RunRepository runs) {
    this.nodes = nodes;
    this.runs = runs;
  }

  public Checked check(DeployModelRequest request) {
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
      return new Checked(Verdict.INVALID, errors,
          errors.stream().map(FieldError::toString).collect(Collectors.joining("; ")));
    }
    // The agents refuse a second run too (DeploymentBusy), but only at launch, after its shards
    // have landed over the serving ones.
    Optional<String> running = runs.findActive(DeployModelWorkflow.TYPE, request.name());
    if (running.isPresent()) {
      return new Checked(Verdict.BUSY, List.of(), "deployment '" + request.name() + "' is running as run "
          + running.get() + "; stop it first (POST /api/v1/deployments/" + running.get() + "/stop)");
    }
    return new Checked(Verdict.ACCEPTED, List.of(), null);
  }

  private static String unknown(String node) {
    return "'" + node + "' is not a known node; pick one of GET /api/v1/nodes (a GPU agent announces its node)";
  }
}
