package io.novacron.control.ui;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H1;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import io.novacron.control.inventory.NodeRepository;
import io.novacron.control.inventory.NodeRow;
import io.novacron.control.inventory.VmRepository;
import io.novacron.control.inventory.VmRow;
import io.novacron.control.run.RunRepository;
import io.novacron.control.run.RunRow;
import jakarta.annotation.security.PermitAll;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.springframework.beans.factory.annotation.Value;

/** The first dashboard page: nodes (stale ones marked), VMs and recent runs, refreshed live. */
@Route("")
@PageTitle("NovaCron")
@PermitAll // any signed-in user (viewer and up); docs/security.md
public class DashboardView extends VerticalLayout {
  static final int REFRESH_MILLIS = 2000;
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

  private final NodeRepository nodes;
  private final VmRepository vms;
  private final RunRepository runs;
  private final Clock clock;

  private final Div driverBanner = new Div();
  private final Grid<NodeRow> nodeGrid = new Grid<>();
  private final Grid<VmRow> vmGrid = new Grid<>();
  private final Grid<RunRow> runGrid = new Grid<>();

  public DashboardView(
      NodeRepository nodes, VmRepository vms, RunRepository runs, Clock clock,
      @Value("${novacron.temporal.ui-url}") String temporalUi) {
    this.nodes = nodes;
    this.vms = vms;
    this.runs = runs;
    this.clock = clock;
    setSizeFull();
    add(new H1("NovaCron"), new Anchor(temporalUi, "Temporal Web UI"), driverBanner,
        new H2("Nodes"), nodeGrid, new H2("VMs"), vmGrid, new H2("Runs"), runGrid);
    configureNodeGrid();
    configureVmGrid();
    configureRunGrid();
  }

  @Override
  protected void onAttach(AttachEvent event) {
    refresh();
    event.getUI().setPollInterval(REFRESH_MILLIS);
    event.getUI().addPollListener(poll -> refresh());
  }

  private void configureNodeGrid() {
    nodeGrid.setId("nodes");
    nodeGrid.setAllRowsVisible(true);
    nodeGrid.addColumn(NodeRow::name).setHeader("Node");
    nodeGrid.addComponentColumn(this::nodeState).setHeader("State");
    nodeGrid.addColumn(NodeRow::libvirtDriver).setHeader("Driver");
    nodeGrid.addColumn(NodeRow::domainType).setHeader("Domain type");
    nodeGrid.addColumn(NodeRow::cpuModel).setHeader("CPU");
    nodeGrid.addColumn(NodeRow::cpus).setHeader("CPUs");
    nodeGrid.addColumn(n -> n.memoryMib() + " MiB").setHeader("Memory");
    nodeGrid.addColumn(n -> n.storageFreeGib() + " / " + n.storageTotalGib() + " GiB").setHeader("Storage free");
    nodeGrid.addColumn(NodeRow::images).setHeader("Images");
    nodeGrid.addColumn(DashboardView::gpuSummary).setHeader("GPUs");
    nodeGrid.addColumn(n -> format(n.hostSeenAt())).setHeader("Last seen");
  }

  private Span nodeState(NodeRow node) {
    boolean stale = node.hostStale(clock.instant());
    Span badge = new Span(stale ? "stale" : "up");
    badge.getElement().getThemeList().add(stale ? "badge error" : "badge success");
    return badge;
  }

  private void configureVmGrid() {
    vmGrid.setId("vms");
    vmGrid.setAllRowsVisible(true);
    vmGrid.addColumn(VmRow::name).setHeader("VM");
    vmGrid.addColumn(VmRow::node).setHeader("Node");
    vmGrid.addColumn(VmRow::state).setHeader("State");
    vmGrid.addColumn(VmRow::vcpus).setHeader("vCPUs");
    vmGrid.addColumn(v -> v.memoryMib() + " MiB").setHeader("Memory");
    vmGrid.addColumn(v -> v.diskGib() + " GiB").setHeader("Disk");
    vmGrid.addColumn(VmRow::image).setHeader("Image");
  }

  private void configureRunGrid() {
    runGrid.setId("runs");
    runGrid.setAllRowsVisible(true);
    runGrid.addColumn(RunRow::id).setHeader("Run");
    runGrid.addColumn(RunRow::type).setHeader("Type");
    runGrid.addColumn(RunRow::subject).setHeader("Subject");
    runGrid.addColumn(RunRow::state).setHeader("State");
    runGrid.addColumn(RunRow::phase).setHeader("Phase");
    runGrid.addColumn(RunRow::node).setHeader("Node");
    runGrid.addColumn(RunRow::detail).setHeader("Detail");
    runGrid.addColumn(r -> format(r.startedAt())).setHeader("Started");
  }

  private void refresh() {
    List<NodeRow> nodeRows = nodes.findAllByOrderByName();
    nodeGrid.setItems(nodeRows);
    vmGrid.setItems(vms.findAllByOrderByName());
    runGrid.setItems(runs.findPage(50, 0));
    List<String> simulated = nodeRows.stream().filter(NodeRow::simulated).map(NodeRow::name).toList();
    driverBanner.setText(simulated.isEmpty()
        ? "All nodes drive real libvirt hypervisors."
        : "Simulated: " + String.join(", ", simulated)
            + " use libvirt's test:///default driver; their VMs are not real guests. Install libvirt and QEMU for real ones.");
    driverBanner.setId("driver-banner");
  }

  /** "-" before the GPU agent reports, "none" without GPU tooling, else the raw inventory. */
  private static String gpuSummary(NodeRow node) {
    if (node.gpuSource() == null) {
      return "-";
    }
    return "none".equals(node.gpuSource()) ? "none" : node.gpuSource() + " " + node.gpus();
  }

  private static String format(Instant instant) {
    return instant == null ? "-" : TIME.format(instant);
  }
}
