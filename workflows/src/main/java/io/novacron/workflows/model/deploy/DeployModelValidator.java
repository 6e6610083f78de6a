package io.novacron.workflows.model.deploy;

import io.novacron.workflows.Names;
import io.novacron.workflows.model.WeightDtype;
import io.novacron.workflows.FieldError;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks a {@link DeployModelRequest}'s shape. Pure: the REST API answers 400 with these errors and
 * the workflow fails with them as InvalidSpec, so both say the same. The checkpoint path's shape is
 * checked here ({@link CheckpointPath}); whether the nodes exist and the checkpoint is there and
 * sound only the nodes can tell.
 */
public final class DeployModelValidator {
  public static final int MAX_NODES = 64;

  private DeployModelValidator() {}

  public static List<FieldError> validate(DeployModelRequest request) {
    List<FieldError> errors = new ArrayList<>();
    if (request == null) {
      errors.add(new FieldError("request", "a JSON body is required"));
      return errors;
    }
    name(errors, "name", request.name());
    name(errors, "sourceNode", request.sourceNode());
    CheckpointPath.problem(request.checkpoint()).ifPresent(why -> errors.add(new FieldError("checkpoint", why)));
    if (request.dtype() != null && !request.dtype().isBlank()) {
      try {
        WeightDtype.parse(request.dtype());
      } catch (IllegalArgumentException e) {
        errors.add(new FieldError("dtype", e.getMessage()));
      }
    }
    if (request.nodes().isEmpty()) {
      errors.add(new FieldError("nodes", "name at least one target GPU node (see GET /api/v1/nodes)"));
    } else if (request.nodes().size() > MAX_NODES) {
      errors.add(new FieldError("nodes", "at most " + MAX_NODES + " nodes"));
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < request.nodes().size(); i++) {
      String node = request.nodes().get(i);
      name(errors, "nodes[" + i + "]", node);
      if (node != null && !seen.add(node)) {
        errors.add(new FieldError("nodes[" + i + "]", "'" + node + "' is listed twice"));
      }
    }
    if (request.contextLength() < 0) {
      errors.add(new FieldError("contextLength", "must be positive (0 for 8192), was " + request.contextLength()));
    }
    if (request.batch() < 0) {
      errors.add(new FieldError("batch", "must be positive (0 for 1), was " + request.batch()));
    }
    ServingSettings serving = request.serving();
    if (serving.port() < 0 || serving.port() > 65535) {
      errors.add(new FieldError("serving.port", "must be 1-65535, or 0 to let each node pick, was " + serving.port()));
    }
    if (serving.readyTimeoutSeconds() < 1) {
      errors.add(new FieldError("serving.readyTimeoutSeconds", "must be positive (0 for the default)"));
    }
    var unknown = CommandTemplate.unknownVariables(serving.commandTemplate());
    if (!unknown.isEmpty()) {
      errors.add(new FieldError("serving.commandTemplate", "unknown variables " + unknown + "; use "
          + new java.util.TreeSet<>(CommandTemplate.VARIABLES)));
    }
    ShardFormat format = null;
    try {
      format = ShardFormat.parse(request.format());
    } catch (IllegalArgumentException e) {
      errors.add(new FieldError("format", e.getMessage()));
    }
    if (format != null && unknown.isEmpty()) {
      CommandTemplate.formatProblem(serving.commandTemplate(), serving.runtime(), format)
          .ifPresent(why -> errors.add(new FieldError("serving.commandTemplate", why)));
    }
    double simulated = request.simulatedGpuMemoryGib();
    if (simulated < 0 || Double.isNaN(simulated) || simulated > 4096) {
      errors.add(new FieldError("simulatedGpuMemoryGib", "must be 0 (off) or a GPU size in GiB up to 4096"));
    } else if (simulated > 0 && serving.runtime() != ServingRuntime.REFERENCE) {
      errors.add(new FieldError("simulatedGpuMemoryGib",
          "only the reference loader may run on simulated GPUs: set serving.runtime to REFERENCE or drop it"));
    }
    if (request.transferBandwidthCapBytesPerSec() < 0) {
      errors.add(new FieldError("transferBandwidthCapBytesPerSec", "must be 0 (no cap) or positive"));
    }
    return errors;
  }

  private static void name(List<FieldError> errors, String field, String value) {
    if (value == null || !Names.NAME.matcher(value).matches()) {
      errors.add(new FieldError(field, "must be 1-63 lower-case letters, digits and '-', starting with a letter, was "
          + (value == null ? "empty" : "'" + value + "'")));
    }
  }
}
