package io.novacron.control.vm;

import io.novacron.control.shared.OrderCheck;
import io.novacron.control.inventory.VmRepository;
import io.novacron.control.inventory.DownNodes;
import io.novacron.control.inventory.VmRow;
import io.novacron.control.run.RunRepository;
import io.novacron.control.run.RunRow;
import io.novacron.workflows.migrate.MigrateVmWorkflow;
import io.novacron.workflows.power.VmPowerRequest;
import io.novacron.workflows.power.VmPowerValidator;
import io.novacron.workflows.FieldError;
import io.novacron.workflows.provision.ProvisionVmWorkflow;
import io.novacron.workflows.Names;
import io.novacron.workflows.delete.DeleteVmRequest;
import io.novacron.workflows.delete.DeleteVmWorkflow;
import io.novacron.workflows.power.VmPowerWorkflow;
import io.novacron.workflows.resize.ResizeVmWorkflow;
import io.novacron.workflows.run.RunState;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Service;

/**
 * Checks a power action or a delete against the inventory and the runs in flight. The REST API and the
 * dashboard both go through here, so that they refuse the same things with the same words.
 */
@Service
public class PowerOrders {
  /** Runs that change a VM's domain: a power action must not race one of them. */
  static final List<String> VM_CHANGING_TYPES = List.of(ProvisionVmWorkflow.TYPE, MigrateVmWorkflow.TYPE,
      VmPowerWorkflow.TYPE, DeleteVmWorkflow.TYPE, ResizeVmWorkflow.TYPE);

  private final VmRepository vms;
  private final RunRepository runs;
  private final DownNodes downNodes;

  PowerOrders(VmRepository vms, RunRepository runs, DownNodes downNodes) {
    this.vms = vms;
    this.runs = runs;
    this.downNodes = downNodes;
  }

  /** 400 for bad fields, 404 for an unknown VM, 409 for a missing VM or one that another run changes. */
  public OrderCheck<VmPowerRequest> check(VmPowerRequest request) {
    List<FieldError> errors = VmPowerValidator.validate(request);
    if (!errors.isEmpty()) {
      return OrderCheck.invalid(errors);
    }
    Optional<VmRow> vm = vms.findById(request.vmName());
    if (vm.isEmpty()) {
      return OrderCheck.unknown("no VM named '" + request.vmName() + "'; see GET /api/v1/vms");
    }
    if (vm.get().missing()) {
      return OrderCheck.conflict("'" + request.vmName() + "' is missing: no node announces a"
          + " domain with its uuid (its drift: GET /api/v1/vms/" + request.vmName() + "); nothing to start or stop"
          + " until it reappears");
    }
    return this.<VmPowerRequest>unreachable(vm.get())
        .or(() -> this.<VmPowerRequest>busy(request.vmName()))
        .orElseGet(() -> OrderCheck.accepted(request));
  }

  /**
   * A conflict when the VM's node is down (its agent silent): a run would only wait for it, so it
   * fails now, saying why ({@link DownNodes}); empty while the node answers.
   */
  <T> Optional<OrderCheck<T>> unreachable(VmRow vm) {
    if (!downNodes.now().contains(vm.node())) {
      return Optional.empty();
    }
    return Optional.of(OrderCheck.conflict("'" + vm.name() + "' is on node " + vm.node() + ", which is down (its"
        + " agent missed three announcements): its state is unknown and no run can reach it; bring the node back"
        + " (GET /api/v1/nodes/" + vm.node() + ")"));
  }

  /**
   * 400 for a bad name, 404 for an unknown VM, 409 while another run changes it. A missing VM (no
   * node announces its domain) may be deleted: that drops its record and whatever is left of it.
   */
  public OrderCheck<DeleteVmRequest> checkDelete(DeleteVmRequest request) {
    if (request.vmName() == null || !Names.NAME.matcher(request.vmName()).matches()) {
      return OrderCheck.invalid(List.of(new FieldError("name", "name a VM: 1-63 of a-z 0-9 -, starting with a letter")));
    }
    if (!vms.existsById(request.vmName())) {
      return OrderCheck.unknown("no VM named '" + request.vmName() + "'; see GET /api/v1/vms");
    }
    return this.<DeleteVmRequest>busy(request.vmName()).orElseGet(() -> OrderCheck.accepted(request));
  }

  /**
   * A conflict naming the run that changes {@code vmName} or waits about it, if one does; every
   * order that changes a VM asks this ({@link ResizeOrders} too).
   */
  <T> Optional<OrderCheck<T>> busy(String vmName) {
    // From the run records: a run that has not written its first record yet is not seen (every
    // action is idempotent on the agent, so such a race costs a redundant run, not a broken VM).
    Optional<RunRow> busy = runs.findUnfinished(vmName, VM_CHANGING_TYPES);
    return busy.map(run -> OrderCheck.conflict(RunState.ATTENTION.name().equals(run.state())
        ? "run " + run.id() + " waits for an operator about '" + vmName + "'; resolve it first (POST /api/v1/runs/"
            + run.id() + "/resolve)"
        : "run " + run.id() + " is changing '" + vmName + "'; wait for it to end or cancel it (POST /api/v1/runs/"
            + run.id() + "/cancel)"));
  }
}
