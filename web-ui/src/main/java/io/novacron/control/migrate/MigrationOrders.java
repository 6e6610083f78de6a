package io.novacron.control.migrate;

import io.novacron.control.inventory.NodeRepository;
import io.novacron.control.inventory.VmRow;
import io.novacron.control.inventory.VmRepository;
import io.novacron.workflows.migrate.MigrateVmRequest;
import io.novacron.workflows.migrate.MigrationMode;
import io.novacron.workflows.migrate.MigrationOptions;
import io.novacron.workflows.provision.FieldError;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Service;

/**
 * Checks a {@link MigrationOrder} against the inventory and turns it into the workflow's request.
 * The REST API and the dashboard both go through here, so that they refuse the same things with the
 * same words.
 */
@Service
public class MigrationOrders {
  /** Bounds that catch typos; the host agent and libvirt apply the real limits. */
  static final int MAX_BANDWIDTH_MIBPS = 100_000;
  static final int MAX_PARALLEL_CONNECTIONS = 64;
  static final int MAX_DOWNTIME_MS = 600_000;
  static final int MAX_SECONDS_PER_GIB = 86_400;
  static final int MAX_SHUTDOWN_SECONDS = 3_600;
  static final int MAX_DOWNTIME_STEPS = 100;

  private final VmRepository vms;
  private final NodeRepository nodes;

  MigrationOrders(VmRepository vms, NodeRepository nodes) {
    this.vms = vms;
    this.nodes = nodes;
  }

  /** Either the workflow request or every reason it cannot be made. */
  public record Checked(MigrateVmRequest request, List<FieldError> errors) {
    public boolean valid() {
      return errors.isEmpty();
    }
  }

  /** Validates every field (all errors at once) and resolves the source node from the inventory. */
  public Checked check(MigrationOrder order) {
    if (order == null) {
      return new Checked(null, List.of(new FieldError("body", "send vmName, targetNode, mode and optionally options")));
    }
    List<FieldError> errors = new ArrayList<>();
    Optional<VmRow> vm = Optional.empty();
    if (order.vmName() == null || order.vmName().isBlank()) {
      errors.add(new FieldError("vmName", "name the VM to move (see GET /api/v1/vms)"));
    } else {
      vm = vms.findById(order.vmName());
      if (vm.isEmpty()) {
        errors.add(new FieldError("vmName", "'" + order.vmName() + "' is not a known VM; pick one of GET /api/v1/vms"));
      } else if (vm.get().missing()) {
        errors.add(new FieldError("vmName", "'" + order.vmName() + "' is missing: no node announces its domain;"
            + " it can be moved once it reappears"));
      }
    }
    if (order.targetNode() == null || order.targetNode().isBlank()) {
      errors.add(new FieldError("targetNode", "name the node to move the VM to (see GET /api/v1/nodes)"));
    } else if (!nodes.existsById(order.targetNode())) {
      errors.add(new FieldError("targetNode", "'" + order.targetNode() + "' is not a known node; pick one of GET /api/v1/nodes"));
    } else if (vm.isPresent() && order.targetNode().equals(vm.get().node())) {
      errors.add(new FieldError("targetNode", "'" + order.vmName() + "' already runs on " + order.targetNode()
          + "; pick another node"));
    }
    errors.addAll(optionErrors(order.options()));
    if (!errors.isEmpty()) {
      return new Checked(null, errors);
    }
    MigrationMode mode = order.mode() == null ? MigrationMode.LIVE : order.mode();
    return new Checked(
        new MigrateVmRequest(order.vmName(), vm.get().node(), order.targetNode(), mode, order.options()),
        List.of());
  }

  private static List<FieldError> optionErrors(MigrationOptions options) {
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
    range(errors, "options.downtimeSteps", options.downtimeSteps(), 1, MAX_DOWNTIME_STEPS, "1 = maxDowntimeMs from the start");
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
}
