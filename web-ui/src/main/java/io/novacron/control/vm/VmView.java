package io.novacron.control.vm;

import io.novacron.control.ui.Units;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.DescriptionList;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.router.RouteParameters;
import com.vaadin.flow.router.RouterLink;
import com.vaadin.flow.spring.security.AuthenticationContext;
import io.novacron.control.inventory.VmRepository;
import io.novacron.control.inventory.VmRow;
import io.novacron.control.run.RunRepository;
import io.novacron.control.run.RunRow;
import io.novacron.control.run.RunView;
import io.novacron.control.security.Role;
import io.novacron.control.ui.LiveRefresh;
import io.novacron.control.ui.MainLayout;
import io.novacron.control.ui.Ui;
import jakarta.annotation.security.PermitAll;
import java.util.List;
import java.util.Optional;

/**
 * One VM: its facts, networks with MACs and IP addresses, disk, for operators its serial console
 * live ({@link ConsolePanel}), its runs, and the same actions as the VM list ({@link VmActions}).
 */
@Route(value = "vms/:name", layout = MainLayout.class)
@PermitAll // any signed-in user; actions and the console need the operator role (docs/security.md)
@PageTitle("VM - NovaCron")
public class VmView extends VerticalLayout implements BeforeEnterObserver {
  static final String PARAMETER = "name";
  /** The page lists this many of the VM's newest runs; the Runs page has them all. */
  static final int RUNS_SHOWN = 20;

  private final VmRepository vms;
  private final RunRepository runs;
  private final VmConsoles consoles;
  private final VmActions actions;
  private final boolean operator;

  private final H2 title = new H2();
  private final Span state = new Span();
  private final HorizontalLayout buttons = new HorizontalLayout();
  private final DescriptionList facts = new DescriptionList();
  private final Grid<NetworkSummary.Nic> networks = new Grid<>();
  private final Grid<VmRow> disks = new Grid<>();
  private final Grid<RunRow> runGrid = new Grid<>();
  private final VerticalLayout details = new VerticalLayout();
  private final Div consoleBox = new Div();
  private String name;
  private Optional<VmRow> shown;
  private List<RunRow> shownRuns;
  private ConsolePanel console;

  VmView(VmRepository vms, RunRepository runs, VmConsoles consoles, VmActions actions,
      AuthenticationContext authentication, LiveRefresh live) {
    this.vms = vms;
    this.runs = runs;
    this.consoles = consoles;
    this.actions = actions;
    this.operator = authentication.hasRole(Role.OPERATOR_NAME);
    state.setId("vm-state");
    facts.setId("vm-facts");
    facts.getStyle().set("display", "grid").set("grid-template-columns", "max-content 1fr")
        .set("gap", "var(--lumo-space-xs) var(--lumo-space-l)").set("margin", "0");
    buttons.setSpacing(false);
    buttons.getStyle().set("gap", "var(--lumo-space-xs)");
    configureGrids();
    details.setPadding(false);
    consoleBox.setWidthFull();
    details.add(facts, new H3("Networks"), networks, new H3("Disks"), disks, new H3("Console"), consoleBox,
        new H3("Runs"), runGrid);
    HorizontalLayout header = new HorizontalLayout(title, state, buttons);
    header.setDefaultVerticalComponentAlignment(Alignment.CENTER);
    add(header, details);
    live.keepFresh(this, this::refresh);
  }

  /** Route parameters of the page of VM {@code name}. */
  public static RouteParameters parameters(String name) {
    return new RouteParameters(PARAMETER, name);
  }

  @Override
  public void beforeEnter(BeforeEnterEvent event) {
    name = event.getRouteParameters().get(PARAMETER).orElseThrow();
    title.setText(name);
    shown = null;
    shownRuns = null;
    consoleBox.removeAll();
    if (operator) {
      console = new ConsolePanel(consoles, name);
      consoleBox.add(console);
    } else {
      console = null;
      Paragraph note = new Paragraph("The console needs the operator role: a guest may print secrets on it.");
      note.setId("vm-console-read-only");
      consoleBox.add(note);
    }
  }

  private void configureGrids() {
    networks.setId("vm-networks");
    networks.setAllRowsVisible(true);
    networks.addColumn(NetworkSummary.Nic::network).setHeader("Network");
    networks.addColumn(NetworkSummary.Nic::mac).setHeader("MAC");
    networks.addColumn(n -> n.ips().isEmpty() ? "not known yet" : String.join(", ", n.ips())).setHeader("IP addresses")
        .setFlexGrow(2);
    disks.setId("vm-disks");
    disks.setAllRowsVisible(true);
    disks.addColumn(v -> "root").setHeader("Disk");
    disks.addColumn(v -> v.diskPath() == null ? "-" : v.diskPath()).setHeader("Path").setFlexGrow(3);
    disks.addColumn(v -> Units.gibibytes(v.diskGib())).setHeader("Size");
    disks.addColumn(v -> v.image() == null ? "none (empty disk)" : v.image()).setHeader("Base image");
    runGrid.setId("vm-runs");
    runGrid.setAllRowsVisible(true);
    runGrid.addThemeVariants(GridVariant.LUMO_WRAP_CELL_CONTENT);
    runGrid.addComponentColumn(r -> new RouterLink(r.id(), RunView.class, RunView.parameters(r.id())))
        .setHeader("Run").setAutoWidth(true);
    runGrid.addColumn(RunRow::type).setHeader("Type");
    runGrid.addComponentColumn(r -> Ui.stateBadge(r.state())).setHeader("State");
    runGrid.addColumn(RunRow::phase).setHeader("Phase");
    runGrid.addColumn(r -> Units.instant(r.startedAt())).setHeader("Started").setAutoWidth(true);
    runGrid.addColumn(r -> Units.instant(r.endedAt())).setHeader("Ended").setAutoWidth(true);
  }

  private void refresh() {
    Optional<VmRow> vm = vms.findById(name);
    // Redrawn only on change, so that a button is not replaced under the user's pointer.
    if (!vm.equals(shown)) {
      shown = vm;
      draw(vm);
    }
    List<RunRow> recent = runs.findBySubject(name, RUNS_SHOWN);
    if (!recent.equals(shownRuns)) {
      shownRuns = recent;
      runGrid.setItems(recent);
    }
    if (vm.isPresent() && console != null) {
      console.poll();
    }
  }

  private void draw(Optional<VmRow> found) {
    buttons.removeAll();
    facts.removeAll();
    if (found.isEmpty()) {
      // Deleted while the page was open, or never there: its runs stay readable.
      state.setText("not in the inventory");
      state.getElement().getThemeList().set("badge", true);
      networks.setItems(List.of());
      disks.setItems(List.of());
      return;
    }
    VmRow vm = found.get();
    state.setText(vm.state());
    state.getElement().getThemeList().clear();
    state.getElement().getThemeList().add(vm.missing() ? "badge error" : "running".equals(vm.state())
        ? "badge success" : "badge contrast");
    if (operator) {
      buttons.add(actions.powerButtons(vm));
      buttons.add(actions.deleteButton(vm));
    }
    fact("Node", vm.node());
    fact("vCPUs", String.valueOf(vm.vcpus()));
    fact("Memory", Units.mebibytes(vm.memoryMib()));
    fact("Disk", Units.gibibytes(vm.diskGib()));
    fact("Image", vm.image() == null ? "none" : vm.image());
    fact("UUID", vm.uuid());
    fact("Origin", vm.origin());
    fact("Created", Units.instant(vm.createdAt()));
    fact("Updated", Units.instant(vm.updatedAt()));
    fact("Last drift", vm.drift() == null ? "none" : vm.drift() + " (" + Units.instant(vm.driftAt()) + ")");
    facts.add(new DescriptionList.Term("Last run"), description(runLink(vm.runId())));
    networks.setItems(NetworkSummary.nics(vm.nics(), vm.addresses()));
    disks.setItems(List.of(vm));
  }

  private void fact(String term, String value) {
    Span shown = new Span(value == null ? "-" : value);
    facts.add(new DescriptionList.Term(term), description(shown));
  }

  private static DescriptionList.Description description(Component value) {
    DescriptionList.Description description = new DescriptionList.Description(value);
    description.getStyle().set("margin", "0");
    return description;
  }

  private static Component runLink(String runId) {
    return runId == null ? new Span("-") : new RouterLink(runId, RunView.class, RunView.parameters(runId));
  }
}
