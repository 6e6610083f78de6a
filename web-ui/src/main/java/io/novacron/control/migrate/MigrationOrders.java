package io.novacron.control.migrate;

import io.novacron.control.shared.OrderCheck;
import io.novacron.control.inventory.DownNodes;
import io.novacron.control.inventory.NodeRepository;
import io.novacron.control.inventory.NodeRow;
import io.novacron.control.inventory.VmRow;
import io.novacron.control.inventory.VmRepository;
import io.novacron.workflows.migrate.MigrateVmRequest;
import io.novacron.workflows.migrate.MigrationMode;
import io.novacron.workflows.migrate.MigrateVmValidator;
import io.novacron.workflows.FieldError;
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
  private final VmRepository vms;
  private final NodeRepository nodes;
  private final DownNodes downNodes;

  MigrationOrders(VmRepository vms, NodeRepository nodes, DownNodes downNodes) {
    this.vms = vms;
    this.nodes = nodes;
    this.downNodes = downNodes;
  }

  /**
   * Validates every field (all errors at once): the request's own rules ({@link MigrateVmValidator},
   * the workflow's too), then the inventory's (the VM and the node exist, the VM is not missing and
   * not already there); resolves the source node from the inventory.
   */
  public OrderCheck<MigrateVmRequest> check(MigrationOrder order) {
    if (order == null) {
      return OrderCheck.invalid(List.of(new FieldError("body", "send vmName, targetNode, mode and optionally options")));
    }
    MigrationMode mode = order.mode() == null ? MigrationMode.LIVE : order.mode();
    // Without the source: the inventory's check below says "already runs there" in its own words.
    List<FieldError> errors = new ArrayList<>(MigrateVmValidator.validate(
        new MigrateVmRequest(order.vmName(), null, order.targetNode(), mode, order.options())));
    Optional<VmRow> vm = blank(order.vmName()) ? Optional.empty() : vms.findById(order.vmName());
    if (!blank(order.vmName())) {
      if (vm.isEmpty()) {
        errors.add(new FieldError("vmName", "'" + order.vmName() + "' is not a known VM; pick one of GET /api/v1/vms"));
      } else if (vm.get().missing()) {
        errors.add(new FieldError("vmName", "'" + order.vmName() + "' is missing: no node announces its domain;"
            + " it can be moved once it reappears"));
      } else if (downNodes.now().contains(vm.get().node())) {
        errors.add(new FieldError("vmName", "'" + order.vmName() + "' is on node " + vm.get().node() + ", which is"
            + " down (its agent missed three announcements): nothing can move it until the node is back"));
      }
    }
    if (!blank(order.targetNode())) {
      if (!nodes.existsById(order.targetNode())) {
        errors.add(new FieldError("targetNode", "'" + order.targetNode() + "' is not a known node; pick one of GET /api/v1/nodes"));
      } else if (vm.isPresent() && order.targetNode().equals(vm.get().node())) {
        errors.add(new FieldError("targetNode", "'" + order.vmName() + "' already runs on " + order.targetNode()
            + "; pick another node"));
      } else {
        nodes.findById(order.targetNode()).filter(NodeRow::cordoned).ifPresent(node -> errors.add(new FieldError(
            "targetNode", "'" + node.name() + "' is cordoned (" + node.cordon() + "): it takes no new VMs; uncordon"
                + " it (POST /api/v1/nodes/" + node.name() + "/uncordon) or pick another node")));
      }
    }
    if (!errors.isEmpty()) {
      return OrderCheck.invalid(errors);
    }
    return OrderCheck.accepted(
        new MigrateVmRequest(order.vmName(), vm.get().node(), order.targetNode(), mode, order.options()));
  }

  private static boolean blank(String value) {
    return value == null || value.isBlank();
  }
}
