package io.novacron.workflows.migrate;

import io.novacron.workflows.FieldError;
import java.util.ArrayList;
import java.util.List;

/**
 * Every rule a MigrateVm request must meet by itself, for every way in: the REST API and the
 * dashboard (with the inventory's checks on top: the VM and node exist) and the workflow (a
 * request from the Temporal CLI). All errors at once, each naming its field and the fix.
 */
public final class MigrateVmValidator {
  /** Bounds that catch typos; the host agent and libvirt apply the real limits. */
  static final int MAX_BANDWIDTH_MIBPS = 100_000;
  static final int MAX_PARALLEL_CONNECTIONS = 64;
  static final int MAX_DOWNTIME_MS = 600_000;
  static final int MAX_SECONDS_PER_GIB = 86_400;
  static final int MAX_SHUTDOWN_SECONDS = 3_600;
  static final int MAX_DOWNTIME_STEPS = 100;

  private MigrateVmValidator() {}

  /** @return the errors; empty when the request is valid (a missing sourceNode is, see the workflow) */
  public static List<FieldError> validate(MigrateVmRequest request) {
    List<FieldError> errors = new ArrayList<>();
    if (request == null) {
      errors.add(new FieldError("request", "send vmName, targetNode, mode and optionally sourceNode and options"));
      return errors;
    }
    if (blank(request.vmName())) {
      errors.add(new FieldError("vmName", "name the VM to move (see GET /api/v1/vms)"));
    }
    if (blank(request.targetNode())) {
      errors.add(new FieldError("targetNode", "name the node to move the VM to (see GET /api/v1/nodes)"));
    } else if (!blank(request.sourceNode()) && request.sourceNode().equals(request.targetNode())) {
      errors.add(new FieldError("targetNode", "must differ from sourceNode (" + request.sourceNode() + ")"));
    }
    errors.addAll(optionErrors(request.options()));
    return errors;
  }

  /** Every option out of its range, each named {@code options.<field>}. */
  public static List<FieldError> optionErrors(MigrationOptions options) {
    List<FieldError> errors = new ArrayList<>();
    if (options == null) {
      return errors;
    }
    range(errors, "options.bandwidthMiBps", options.bandwidthMiBps(), 0, MAX_BANDWIDTH_MIBPS, "0 = unlimited");
    range(errors, "options.parallelConnections", options.parallelConnections(), 1, MAX_PARALLEL_CONNECTIONS, null);
    range(errors, "options.maxDowntimeMs", options.maxDowntimeMs(), 0, MAX_DOWNTIME_MS, "0 = libvirt's default");
    range(errors, "options.completionTimeoutSecondsPerGiB", options.completionTimeoutSecondsPerGiB(), 1,
        MAX_SECONDS_PER_GIB, null);
    range(errors, "options.shutdownTimeoutSeconds", options.shutdownTimeoutSeconds(), 1, MAX_SHUTDOWN_SECONDS, null);
    range(errors, "options.downtimeSteps", options.downtimeSteps(), 1, MAX_DOWNTIME_STEPS,
        "1 = maxDowntimeMs from the start");
    range(errors, "options.downtimeDelaySecondsPerGiB", options.downtimeDelaySecondsPerGiB(), 1,
        MAX_SECONDS_PER_GIB, null);
    return errors;
  }

  private static void range(List<FieldError> errors, String field, Integer value, int min, int max, String note) {
    if (value != null && (value < min || value > max)) {
      errors.add(new FieldError(field, "must be between " + min + " and " + max
          + (note == null ? "" : " (" + note + ")") + ", was " + value));
    }
  }

  private static boolean blank(String value) {
    return value == null || value.isBlank();
  }
}
