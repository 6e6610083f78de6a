package io.novacron.control.vm;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import io.novacron.control.audit.AuditLog;
import io.novacron.control.audit.Outcome;
import io.novacron.control.inventory.VmRow;
import io.novacron.control.run.RunView;
import io.novacron.control.shared.OrderCheck;
import io.novacron.control.shared.RunLauncher;
import io.novacron.workflows.resize.ResizePlan;
import io.novacron.workflows.resize.ResizeVmRequest;
import org.springframework.stereotype.Component;

/**
 * The dashboard's Resize: a button per VM that opens a {@link ResizeDialog}, checks the order as the
 * REST API does ({@link ResizeOrders}) and starts the same run. Kept out of {@link VmsView} so that
 * the view only places the button.
 */
@Component
class ResizeActions {
  private final ResizeOrders orders;
  private final RunLauncher launcher;
  private final AuditLog audit;

  ResizeActions(ResizeOrders orders, RunLauncher launcher, AuditLog audit) {
    this.orders = orders;
    this.launcher = launcher;
    this.audit = audit;
  }

  /** A small button; enabled for a stopped VM, the only kind a resize accepts. */
  Button button(VmRow vm) {
    Button resize = new Button("Resize", click -> open(vm));
    resize.setId("resize-" + vm.name());
    resize.addThemeVariants(ButtonVariant.LUMO_SMALL);
    resize.setEnabled(ResizePlan.STOPPED.equals(vm.state()));
    return resize;
  }

  private void open(VmRow vm) {
    ResizeDialog dialog = new ResizeDialog(vm);
    dialog.addOrderListener(event -> {
      OrderCheck<ResizeVmRequest> checked = orders.check(event.request());
      if (!checked.accepted()) {
        dialog.showErrors(checked.errors(), checked.message());
        return;
      }
      String runId = RunLauncher.resizeRunId(vm.name(), null);
      launcher.resize(runId, checked.request());
      audit.recordDashboardAction("vm.resize", vm.name(), Outcome.ACCEPTED, "run " + runId);
      var ui = dialog.getUI(); // before the close detaches the dialog
      dialog.close();
      ui.ifPresent(u -> u.navigate(RunView.class, RunView.parameters(runId)));
    });
    dialog.open();
  }
}
