package io.novacron.control.vm;

import io.novacron.control.ui.Units;

import io.novacron.workflows.migrate.MigrateVmRequest;

import io.novacron.control.shared.OrderCheck;

import io.novacron.control.migrate.MigrateDialog;

import io.novacron.control.run.RunView;

import io.novacron.control.ui.Ui;

import io.novacron.control.ui.MainLayout;

import io.novacron.control.ui.LiveRefresh;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import jakarta.annotation.security.PermitAll;
import com.vaadin.flow.router.RouterLink;
import com.vaadin.flow.spring.security.AuthenticationContext;
import io.novacron.control.audit.AuditLog;
import io.novacron.control.audit.Outcome;
import io.novacron.control.inventory.NodeRepository;
import io.novacron.control.security.Role;
import io.novacron.control.inventory.NodeRow;
import io.novacron.control.inventory.VmAttention;
import io.novacron.control.inventory.VmRepository;
import io.novacron.control.inventory.VmRow;
import io.novacron.control.migrate.MigrationOrders;
import io.novacron.control.shared.RunLauncher;
import io.novacron.workflows.FieldError;
import io.novacron.workflows.provision.ProvisionVmRequest;
import io.novacron.workflows.provision.ProvisionVmValidator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * VMs: the provisioning form (the same ProvisionVm run as {@code POST /api/v1/vms}) and the VM list
 * with start, stop, reboot, delete ({@link VmActions}) and migrate; each name links to the VM's
 * page ({@link VmView}). The
 * list flags VMs that need an operator (missing, or a run about them waits in ATTENTION) and shows
 * where each came from and the last drift the reconciliation with libvirt found.
 */
@Route(value = "vms", layout = MainLayout.class)
@PermitAll // any signed-in user; launching actions check the operator role (docs/security.md)
@PageTitle("VMs - NovaCron")
public class VmsView extends VerticalLayout {
  private final VmRepository vms;
  private final NodeRepository nodes;
  private final RunLauncher launcher;
  private final MigrationOrders migrations;
  private final VmActions vmActions;
  private final VmAttention attention;
  private final ResizeActions resizeActions;
  private final ProvisionForm form = new ProvisionForm();
  private final Grid<VmRow> grid = new Grid<>();
  private final AuditLog audit;
  /** Whether the signed-in user may launch runs; viewers see the inventory only. */
  private final boolean operator;
  private List<String> shownNodes = List.of();
  private List<VmRow> shownVms;
  private Map<String, VmAttention.Need> needs = Map.of();

  VmsView(VmRepository vms, NodeRepository nodes, RunLauncher launcher, MigrationOrders migrations,
      VmActions vmActions, VmAttention attention, AuthenticationContext authentication, AuditLog audit,
      LiveRefresh live, ResizeActions resizeActions) {
    this.vms = vms;
    this.resizeActions = resizeActions;
    this.attention = attention;
    this.nodes = nodes;
    this.launcher = launcher;
    this.migrations = migrations;
    this.vmActions = vmActions;
    this.audit = audit;
    this.operator = authentication.hasRole(Role.OPERATOR_NAME);
    form.addProvisionListener(event -> provision(event.request()));
    configureGrid();
    add(new H2("VMs"));
    if (operator) {
      add(new H3("Provision a VM"), form);
    } else {
      Paragraph note = new Paragraph("Provisioning, starting, stopping and migrating need the operator role.");
      note.setId("vms-read-only");
      add(note);
    }
    add(new H3("Inventory"), grid);
    live.keepFresh(this, this::refresh);
  }

  private void configureGrid() {
    grid.setId("vms");
    grid.setAllRowsVisible(true);
    grid.addThemeVariants(com.vaadin.flow.component.grid.GridVariant.LUMO_WRAP_CELL_CONTENT);
    grid.addComponentColumn(v -> new RouterLink(v.name(), VmView.class, VmView.parameters(v.name())))
        .setHeader("VM").setAutoWidth(true);
    grid.addColumn(VmRow::node).setHeader("Node");
    grid.addColumn(VmRow::state).setHeader("State");
    grid.addComponentColumn(this::attentionCell).setHeader("Attention").setAutoWidth(true);
    grid.addColumn(VmRow::vcpus).setHeader("vCPUs");
    grid.addColumn(v -> Units.mebibytes(v.memoryMib())).setHeader("Memory");
    grid.addColumn(v -> Units.gibibytes(v.diskGib())).setHeader("Disk");
    grid.addColumn(VmRow::image).setHeader("Image");
    grid.addColumn(v -> NetworkSummary.of(v.nics(), v.addresses())).setHeader("Networks").setAutoWidth(true);
    grid.addColumn(v -> LabelSummary.of(v.labels())).setHeader("Labels").setAutoWidth(true);
    grid.addColumn(VmRow::origin).setHeader("Origin");
    grid.addColumn(v -> v.drift() == null ? "" : v.drift() + " (" + Units.instant(v.driftAt()) + ")")
        .setHeader("Last drift").setFlexGrow(3);
    grid.addComponentColumn(v -> v.runId() == null ? new com.vaadin.flow.component.html.Span("-")
        : new RouterLink(v.runId(), RunView.class, RunView.parameters(v.runId()))).setHeader("Last run");
    if (operator) {
      // Frozen to the grid's right edge: with eleven columns the grid scrolls sideways on a laptop
      // screen, and the buttons an operator came for must not scroll out of sight.
      grid.addComponentColumn(this::actions).setHeader("Actions").setAutoWidth(true).setFlexGrow(0)
          .setFrozenToEnd(true);
    }
  }

  /**
   * A badge for a missing VM and a link to each run that waits for an operator about it; empty
   * for a VM that needs nothing.
   */
  private HorizontalLayout attentionCell(VmRow vm) {
    HorizontalLayout cell = new HorizontalLayout();
    cell.setId("attention-" + vm.name());
    cell.setSpacing(false);
    cell.getStyle().set("gap", "var(--lumo-space-xs)").set("flex-wrap", "wrap");
    VmAttention.Need need = needs.get(vm.name());
    if (need == null) {
      return cell;
    }
    if (need.missing()) {
      Span missing = Ui.badge("missing", "error");
      missing.setTitle("no node announces a domain with this VM's uuid; its capacity is released");
      cell.add(missing);
    }
    for (String run : need.waitingRuns()) {
      RouterLink link = new RouterLink("run waits: " + run, RunView.class, RunView.parameters(run));
      link.getElement().getThemeList().add("badge error primary");
      cell.add(link);
    }
    return cell;
  }

  /**
   * Start where the guest is not running, stop and reboot where it is, and migrate; a missing VM
   * can only be deleted.
   */
  private HorizontalLayout actions(VmRow vm) {
    Button migrate = migrateButton(vm);
    migrate.setEnabled(!vm.missing());
    HorizontalLayout actions = new HorizontalLayout(vmActions.powerButtons(vm));
    actions.add(resizeActions.button(vm), migrate, vmActions.deleteButton(vm));
    actions.setSpacing(false);
    actions.getStyle().set("gap", "var(--lumo-space-xs)");
    return actions;
  }

  private Button migrateButton(VmRow vm) {
    Button migrate = new Button("Migrate", click -> openMigrateDialog(vm));
    migrate.setId("migrate-" + vm.name());
    migrate.addThemeVariants(ButtonVariant.LUMO_SMALL);
    return migrate;
  }

  private void openMigrateDialog(VmRow vm) {
    MigrateDialog dialog = new MigrateDialog(vm, nodeNames());
    dialog.addMigrateListener(event -> {
      OrderCheck<MigrateVmRequest> checked = migrations.check(event.order());
      if (!checked.accepted()) {
        dialog.showErrors(checked.errors());
        return;
      }
      String runId = RunLauncher.migrationRunId(vm.name(), null);
      launcher.migrate(runId, checked.request());
      audit.recordDashboardAction("vm.migrate", vm.name(), Outcome.ACCEPTED, "run " + runId);
      dialog.close();
      getUI().ifPresent(ui -> ui.navigate(RunView.class, RunView.parameters(runId)));
    });
    dialog.open();
  }

  /** The same checks as the REST API, then the same launcher. */
  private void provision(ProvisionVmRequest request) {
    List<FieldError> errors = new ArrayList<>(ProvisionVmValidator.validate(request));
    if (request.nodeOrNull() != null && !nodes.existsById(request.node())) {
      errors.add(new FieldError("node", "'" + request.node() + "' is not a known node"));
    }
    if (vms.existsById(request.name())) {
      errors.add(new FieldError("name", "a VM named '" + request.name() + "' already exists; choose another name"));
    }
    if (!errors.isEmpty()) {
      form.showErrors(errors);
      return;
    }
    String runId = RunLauncher.provisionRunId(request, null);
    launcher.provision(runId, request);
    audit.recordDashboardAction("vm.provision", request.name(), Outcome.ACCEPTED, "run " + runId);
    form.reset();
    getUI().ifPresent(ui -> ui.navigate(RunView.class, RunView.parameters(runId)));
  }

  private List<String> nodeNames() {
    return nodes.findAllByOrderByName().stream().map(NodeRow::name).toList();
  }

  private void refresh() {
    List<String> nodeNames = nodeNames();
    if (!nodeNames.equals(shownNodes)) {
      shownNodes = nodeNames;
      form.setNodes(nodeNames);
    }
    List<VmRow> rows = vms.findAllByOrderByName();
    Map<String, VmAttention.Need> current = attention.byVm();
    // Redrawn only on change, so that a button is not replaced under the user's pointer.
    if (!rows.equals(shownVms) || !current.equals(needs)) {
      shownVms = rows;
      needs = current;
      grid.setItems(rows);
    }
  }
}
