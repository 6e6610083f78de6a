package io.novacron.control.power;

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

  /** What the check found. */
  public enum Verdict {
    /** The action may start. */
    ACCEPTED,
    /** A field is bad: {@link Checked#errors()} names each (400). */
    INVALID,
    /** The inventory has no such VM (404). */
    UNKNOWN_VM,
    /** No node announces the VM's domain: there is nothing to start or stop (409). */
    MISSING,
    /** Another run is changing the VM (409); {@link Checked#message()} names it. */
    BUSY
  }

  /** The verdict, the field errors of an INVALID one and the sentence for the others. */
  public record Checked(Verdict verdict, List<FieldError> errors, String message) {
    public boolean accepted() {
      return verdict == Verdict.ACCEPTED;
    }
  }

  private final VmRepository vms;
  private final RunRepository runs;

  PowerOrders(VmRepository vms, RunRepository runs) {
    this.vms = vms;
    this.runs = runs;
  }

  public Checked check(VmPowerRequest request) {
    List<FieldError> errors = VmPowerValidator.validate(request);
    if (!errors.isEmpty()) {
      return new Checked(Verdict.INVALID, errors,
          errors.stream().map(FieldError::toString).reduce((a, b) -> a + "; " + b).orElseThrow());
    }
    Optional<VmRow> vm = vms.findById(request.vmName());
    if (vm.isEmpty()) {
      return new Checked(Verdict.UNKNOWN_VM, List.of(), "no VM named '" + request.vmName() + "'; see GET /api/v1/vms");
    }
    if (vm.get().missing()) {
      return new Checked(Verdict.MISSING, List.of(), "'" + request.vmName() + "' is missing: no node announces a"
          + " domain with its uuid (its drift: GET /api/v1/vms/" + request.vmName() + "); nothing to start or stop"
          + " until it reappears");
    }
    // From the run records: a run that has not written its first record yet is not seen (both
    // actions are idempotent on the agent, so such a race costs a redundant run, not a broken VM).
    Optional<RunRow> busy = runs.findUnfinished(request.vmName(), VM_CHANGING_TYPES);
    if (busy.isPresent()) {
      String id = busy.get().id();
      return new Checked(Verdict.BUSY, List.of(), RunState.ATTENTION.name().equals(busy.get().state())
          ? "run " + id + " waits for an operator about '" + request.vmName() + "'; resolve it first (POST /api/v1/runs/"
              + id + "/resolve)"
          : "run " + id + " is changing '" + request.vmName() + "'; wait for it to end or cancel it (POST /api/v1/runs/"
              + id + "/cancel)");
    }
    return new Checked(Verdict.ACCEPTED, List.of(), null);
  }
}
