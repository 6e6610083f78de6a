package io.novacron.control.vm;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.confirmdialog.ConfirmDialog;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import io.novacron.control.audit.AuditLog;
import io.novacron.control.audit.Outcome;
import io.novacron.control.inventory.VmRow;
import io.novacron.control.run.RunView;
import io.novacron.control.shared.OrderCheck;
import io.novacron.control.shared.RunLauncher;
import io.novacron.workflows.delete.DeleteVmRequest;
import io.novacron.workflows.power.PowerAction;
import io.novacron.workflows.power.VmPowerRequest;
import org.springframework.stereotype.Component;

/**
 * The dashboard's start, stop, reboot and delete buttons of one VM, shared by the VM list and a
 * VM's page: the same checks as the REST API ({@link PowerOrders}), then the same launcher, an
 * audit row, and the new run's page. Only for operators: the views show them to no one else.
 */
@Component
public class VmActions {
  private final RunLauncher launcher;
  private final PowerOrders powerOrders;
  private final AuditLog audit;

  VmActions(RunLauncher launcher, PowerOrders powerOrders, AuditLog audit) {
    this.launcher = launcher;
    this.powerOrders = powerOrders;
    this.audit = audit;
  }

  /** Start where the guest is not running (and the VM is not missing), stop and reboot where it is. */
  public Button[] powerButtons(VmRow vm) {
    boolean running = "running".equals(vm.state());
    Button start = powerButton(vm, PowerAction.START, "Start");
    start.setEnabled(!running && !vm.missing());
    Button stop = powerButton(vm, PowerAction.STOP, "Stop");
    stop.setEnabled(running);
    Button reboot = powerButton(vm, PowerAction.REBOOT, "Reboot");
    reboot.setEnabled(running);
    return new Button[] {start, stop, reboot};
  }

  /** Delete, after a confirmation that names what goes. */
  public Button deleteButton(VmRow vm) {
    Button delete = new Button("Delete", click -> confirmDelete(vm));
    delete.setId("delete-" + vm.name());
    delete.addThemeVariants(ButtonVariant.LUMO_SMALL, ButtonVariant.LUMO_ERROR);
    return delete;
  }

  private Button powerButton(VmRow vm, PowerAction action, String label) {
    Button button = new Button(label, click -> power(vm, action));
    button.setId(action.id() + "-" + vm.name());
    button.addThemeVariants(ButtonVariant.LUMO_SMALL);
    return button;
  }

  /**
   * The same checks as the REST API, then the same launcher; a stop gives the guest the default
   * grace period ({@value VmPowerRequest#DEFAULT_GRACE_SECONDS} s) before it is powered off.
   */
  private void power(VmRow vm, PowerAction action) {
    VmPowerRequest request = new VmPowerRequest(vm.name(), action, null);
    OrderCheck<VmPowerRequest> checked = powerOrders.check(request);
    if (!checked.accepted()) {
      refused(checked.message());
      return;
    }
    String runId = RunLauncher.powerRunId(vm.name(), null);
    launcher.power(runId, request);
    audit.recordDashboardAction("vm." + action.id(), vm.name(), Outcome.ACCEPTED, "run " + runId);
    showRun(runId);
  }

  /** A delete cannot be undone: the dialog names what goes, and the run is started only on confirm. */
  private void confirmDelete(VmRow vm) {
    ConfirmDialog dialog = new ConfirmDialog();
    dialog.setHeader("Delete " + vm.name() + "?");
    dialog.setText("Powers the guest off and removes its domain, disk, cloud-init seed and console log on "
        + vm.node() + ". This cannot be undone.");
    dialog.setCancelable(true);
    dialog.setConfirmText("Delete");
    dialog.setConfirmButtonTheme("error primary");
    dialog.addConfirmListener(event -> delete(vm));
    dialog.open();
  }

  /** The same checks as the REST API, then the same launcher. */
  private void delete(VmRow vm) {
    DeleteVmRequest request = new DeleteVmRequest(vm.name());
    OrderCheck<DeleteVmRequest> checked = powerOrders.checkDelete(request);
    if (!checked.accepted()) {
      refused(checked.message());
      return;
    }
    String runId = RunLauncher.deleteRunId(vm.name(), null);
    launcher.delete(runId, request);
    audit.recordDashboardAction("vm.delete", vm.name(), Outcome.ACCEPTED, "run " + runId);
    showRun(runId);
  }

  private static void refused(String message) {
    Notification note = Notification.show(message, 8000, Notification.Position.BOTTOM_END);
    note.addThemeVariants(NotificationVariant.LUMO_ERROR);
  }

  /** Called from a click or confirm listener, where the UI is current. */
  private static void showRun(String runId) {
    UI.getCurrent().navigate(RunView.class, RunView.parameters(runId));
  }
}
