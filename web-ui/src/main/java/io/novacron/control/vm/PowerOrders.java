package io.novacron.control.vm;

import io.novacron.control.shared.OrderCheck;
import io.novacron.control.inventory.VmRepository;
import io.novacron.control.inventory.VmRow;
import io.novacron.control.run.RunRepository;
import io.novacron.control.run.RunRow;
import io.novacron.workflows.migrate.MigrateVmWorkflow;
import io.novacron.workflows.power.VmPowerRequest;
import io.novacron.workflows.power.VmPowerValidator;
import io.novacron.workflows.FieldError;
import io.novacron.workflows.provision.ProvisionVmWorkflow;
import io.novacron.workflows.power.VmPowerWorkflow;
import io.novacron.workflows.run.RunState;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Service;

/**
 * Checks a power action against the inventory and the runs in flight. The REST API and the
 * dashboard both go through here, so that they refuse the same things with the same words.
 */
@Service
public class PowerOrders {
  /** Runs that change a VM's domain: a power action must not race one of them. */
  static final List<String> VM_CHANGING_TYPES =
      List.of(ProvisionVmWorkflow.TYPE, MigrateVmWorkflow.TYPE, VmPowerWorkflow.TYPE);

  private final VmRepository vms;
  private final RunRepository runs;

  PowerOrders(VmRepository vms, RunRepository runs) {
    this.vms = vms;
    this.runs = runs;
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
    // From the run records: a run that has not written its first record yet is not seen (both
    // actions are idempotent on the agent, so such a race costs a redundant run, not a broken VM).
    Optional<RunRow> busy = runs.findUnfinished(request.vmName(), VM_CHANGING_TYPES);
    if (busy.isPresent()) {
      String id = busy.get().id();
      return OrderCheck.conflict(RunState.ATTENTION.name().equals(busy.get().state())
          ? "run " + id + " waits for an operator about '" + request.vmName() + "'; resolve it first (POST /api/v1/runs/"
              + id + "/resolve)"
          : "run " + id + " is changing '" + request.vmName() + "'; wait for it to end or cancel it (POST /api/v1/runs/"
              + id + "/cancel)");
    }
    return OrderCheck.accepted(request);
  }
}
