package io.novacron.control.metrics;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.novacron.workflows.delete.DeleteVmWorkflow;
import io.novacron.workflows.fleet.DrainNodeWorkflow;
import io.novacron.workflows.fleet.RebalanceWorkflow;
import io.novacron.workflows.image.ImportImageWorkflow;
import io.novacron.workflows.migrate.MigrateVmWorkflow;
import io.novacron.workflows.model.deploy.DeployModelWorkflow;
import io.novacron.workflows.provision.ProvisionVmWorkflow;
import io.novacron.workflows.resize.ResizeVmWorkflow;
import io.novacron.workflows.power.VmPowerWorkflow;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The {@code operation} label of a run: what an operator asked for, in one word. A pure function of
 * the run's type and input, so that the label set stays small and fixed (alerts and dashboards
 * name these values) whatever runs the product grows.
 */
public final class Operations {
  /** The label of a run type this mapping does not know: keeps cardinality bounded. */
  public static final String OTHER = "other";
  /** A VmPower run whose input names no known action. */
  static final String POWER = "power";
  private static final Set<String> POWER_ACTIONS = Set.of("start", "stop", "reboot");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Map<String, String> BY_TYPE = Map.of(
      ProvisionVmWorkflow.TYPE, "provision",
      DeleteVmWorkflow.TYPE, "delete",
      ResizeVmWorkflow.TYPE, "resize",
      MigrateVmWorkflow.TYPE, "migrate",
      DrainNodeWorkflow.TYPE, "drain",
      RebalanceWorkflow.TYPE, "rebalance",
      DeployModelWorkflow.TYPE, "deploy",
      ImportImageWorkflow.TYPE, "import_image");

  private Operations() {}

  /**
   * The operation of a run of {@code type} started with {@code inputJson}: VmPower runs are named
   * by their action ({@code start}, {@code stop}, {@code reboot}), every other known type by what
   * it does, and an unknown type is {@value #OTHER}.
   */
  public static String of(String type, String inputJson) {
    if (VmPowerWorkflow.TYPE.equals(type)) {
      return powerAction(inputJson);
    }
    return type == null ? OTHER : BY_TYPE.getOrDefault(type, OTHER);
  }

  /** The {@code outcome} label of a run that ended in {@code state}: its name in lower case. */
  public static String outcome(io.novacron.workflows.run.RunState state) {
    return state.name().toLowerCase(Locale.ROOT);
  }

  private static String powerAction(String inputJson) {
    try {
      JsonNode action = inputJson == null ? null : JSON.readTree(inputJson).get("action");
      String name = action == null || action.isNull() ? "" : action.asText().toLowerCase(Locale.ROOT);
      return POWER_ACTIONS.contains(name) ? name : POWER;
    } catch (JsonProcessingException e) {
      return POWER;
    }
  }
}
