package io.novacron.control.vm;

import io.novacron.control.inventory.VmRepository;
import io.novacron.control.inventory.VmRow;
import io.novacron.control.provision.ResizeActivitiesImpl;
import io.novacron.control.shared.OrderCheck;
import io.novacron.workflows.FieldError;
import io.novacron.workflows.node.VmRecord;
import io.novacron.workflows.resize.ResizePlan;
import io.novacron.workflows.resize.ResizeVmRequest;
import io.novacron.workflows.resize.ResizeVmValidator;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Service;

/**
 * Checks a resize against the inventory, the runs in flight and the VM's node, with the rules the
 * workflow applies ({@link ResizePlan}). The REST API and the dashboard both go through here.
 */
@Service
public class ResizeOrders {
  private final VmRepository vms;
  private final PowerOrders powerOrders;
  private final ResizeActivitiesImpl capacity;

  ResizeOrders(VmRepository vms, PowerOrders powerOrders, ResizeActivitiesImpl capacity) {
    this.vms = vms;
    this.powerOrders = powerOrders;
    this.capacity = capacity;
  }

  /**
   * 400 for bad fields or a shrinking disk, 404 for an unknown VM, 409 for a VM that is not stopped,
   * is missing or was made outside NovaCron, that another run changes, or whose node lacks the
   * growth (the message says what is free).
   */
  public OrderCheck<ResizeVmRequest> check(ResizeVmRequest request) {
    List<FieldError> errors = ResizeVmValidator.validate(request);
    if (!errors.isEmpty()) {
      return OrderCheck.invalid(errors);
    }
    String name = request.vmName();
    Optional<VmRow> found = vms.findById(name);
    if (found.isEmpty()) {
      return OrderCheck.unknown("no VM named '" + name + "'; see GET /api/v1/vms");
    }
    VmRow vm = found.get();
    if (vm.missing()) {
      return OrderCheck.conflict("'" + name + "' is missing: no node announces a domain with its uuid; nothing to"
          + " resize until it reappears");
    }
    if ("discovered".equals(vm.origin())) {
      return OrderCheck.conflict("'" + name + "' was made outside NovaCron: its disk is not NovaCron's to grow;"
          + " resize it where it was made");
    }
    Optional<OrderCheck<ResizeVmRequest>> busy = powerOrders.<ResizeVmRequest>unreachable(vm)
        .or(() -> powerOrders.busy(name));
    if (busy.isPresent()) {
      return busy.get();
    }
    ResizePlan.Decision decision = ResizePlan.decide(request, record(vm));
    switch (decision.refusal()) {
      case INVALID -> {
        return OrderCheck.invalid(List.of(new FieldError(decision.field(), decision.message())));
      }
      case NOT_STOPPED -> {
        return OrderCheck.conflict(decision.message());
      }
      case NONE -> { }
    }
    if (decision.plan().growth().anyPositive()) {
      String refusal = capacity.refusal(name, vm.node(), decision.plan().growth());
      if (refusal != null) {
        return OrderCheck.conflict(refusal);
      }
    }
    return OrderCheck.accepted(request);
  }

  private static VmRecord record(VmRow vm) {
    return new VmRecord(vm.name(), vm.uuid(), vm.node(), vm.state(), vm.vcpus(), vm.memoryMib(), vm.diskGib(),
        vm.image(), vm.diskPath(), vm.runId());
  }
}
