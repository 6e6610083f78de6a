package io.novacron.control.node;

import io.novacron.control.ui.Units;

import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.spring.security.AuthenticationContext;
import io.novacron.control.security.Role;
import io.novacron.control.ui.Ui;

import io.novacron.control.ui.MainLayout;

import io.novacron.control.ui.LiveRefresh;

import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Pre;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import jakarta.annotation.security.PermitAll;
import io.novacron.control.inventory.NodeLoad;
import io.novacron.control.inventory.NodeRepository;
import io.novacron.control.inventory.NodeRow;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.novacron.workflows.node.GpuInfo;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Nodes with their facts, GPUs, VMs and capacity: CPU and memory held by reservations against the
 * node's totals, disk used against the storage pool.
 */
@Route(value = "nodes", layout = MainLayout.class)
@PermitAll // any signed-in user; launching actions check the operator role (docs/security.md)
@PageTitle("Nodes - NovaCron")
public class NodesView extends VerticalLayout {
  private static final ObjectMapper GPU_JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
  private final NodeRepository nodes;
  private final NodeLoad load;
  private final Clock clock;
  private final Grid<NodeRow> grid = new Grid<>();
  private final NodeActions actions;
  private final CapacitySamples capacity;
  private final boolean operator;
  private Map<String, NodeLoad.Reserved> reserved = Map.of();
  private List<NodeRow> shownRows;

  NodesView(NodeRepository nodes, NodeLoad load, Clock clock, LiveRefresh live, NodeActions actions,
      AuthenticationContext authentication, CapacitySamples capacity) {
    this.capacity = capacity;
    this.nodes = nodes;
    this.load = load;
    this.clock = clock;
    this.actions = actions;
    this.operator = authentication.hasRole(Role.OPERATOR_NAME);
    setSizeFull();
    configureGrid();
    Paragraph down = new Paragraph("A node whose agent missed three announcements is down: placement avoids it and"
        + " its VMs' state is unknown. Nothing is restarted elsewhere, since the VMs' disks are on that node;"
        + " bring the node back, or delete its VMs once it is gone for good.");
    down.setId("nodes-down-note");
    add(new H2("Nodes"), grid, down);
    live.keepFresh(this, this::refresh);
  }

  private void configureGrid() {
    grid.setId("nodes");
    grid.setAllRowsVisible(true);
    // Long facts (GPU models, label lists, capacity figures) wrap instead of ending in "…".
    grid.addThemeVariants(com.vaadin.flow.component.grid.GridVariant.LUMO_WRAP_CELL_CONTENT);
    grid.addColumn(NodeRow::name).setHeader("Node").setAutoWidth(true);
    grid.addComponentColumn(this::state).setHeader("State");
    grid.addColumn(NodeRow::libvirtDriver).setHeader("Driver");
    grid.addColumn(NodeRow::cpuModel).setHeader("CPU model").setAutoWidth(true);
    grid.addColumn(node -> held(node).vms()).setHeader("VMs");
    grid.addComponentColumn(node -> Ui.usageBar(held(node).vcpus(), node.cpus(), n -> Long.toString(n))).setHeader("vCPUs")
        .setWidth("8rem").setFlexGrow(0);
    grid.addComponentColumn(node -> Ui.usageBar(held(node).memoryMib(), node.memoryMib(), Units::mebibytes)).setHeader("Memory")
        .setWidth("9rem").setFlexGrow(0);
    grid.addComponentColumn(node -> Ui.usageBar(node.storageTotalGib() - node.storageFreeGib(), node.storageTotalGib(), Units::gibibytes))
        .setHeader("Disk").setWidth("9rem").setFlexGrow(0);
    grid.addColumn(NodesView::gpuSummary).setHeader("GPUs");
    grid.addColumn(node -> node.networks() == null ? "" : node.networks().replace(",", ", ")).setHeader("Networks");
    grid.addColumn(node -> io.novacron.control.vm.LabelSummary.of(node.labels())).setHeader("Labels").setAutoWidth(true);
    grid.addColumn(node -> Units.instant(node.hostSeenAt())).setHeader("Last seen").setAutoWidth(true);
    if (operator) {
      grid.addComponentColumn(node -> {
        HorizontalLayout buttons = new HorizontalLayout(actions.buttons(node, this::refresh));
        buttons.setSpacing(false);
        buttons.getStyle().set("gap", "var(--lumo-space-xs)");
        return buttons;
      }).setHeader("Actions").setAutoWidth(true).setFlexGrow(0);
    }
    grid.setItemDetailsRenderer(new com.vaadin.flow.data.renderer.ComponentRenderer<>(
        node -> new Div(facts(node), capacityCharts(node))));
  }

  /** down (its agent is silent), cordoned (with the reason as a tooltip), or up. */
  private Span state(NodeRow node) {
    if (node.hostStale(clock.instant())) {
      return Ui.badge("down", "error");
    }
    if (node.cordoned()) {
      Span cordoned = Ui.badge("cordoned", "contrast");
      cordoned.setTitle(node.cordon());
      return cordoned;
    }
    return Ui.badge("up", "success");
  }

  private NodeLoad.Reserved held(NodeRow node) {
    return reserved.getOrDefault(node.name(), NodeLoad.Reserved.NONE);
  }

  private void refresh() {
    Map<String, NodeLoad.Reserved> nowReserved = load.byNode();
    List<NodeRow> rows = nodes.findAllByOrderByName();
    // Redrawn only on change, so that an opened row stays open between announcements.
    if (!rows.equals(shownRows) || !nowReserved.equals(reserved)) {
      reserved = nowReserved;
      shownRows = rows;
      grid.setItems(rows);
    }
  }

  /** Everything the agents announced, shown when a row is opened. */
  /** How far back an opened node's capacity charts reach. */
  static final java.time.Duration CAPACITY_WINDOW = java.time.Duration.ofHours(6);

  /** The node's used and total vCPUs, memory and disk over {@link #CAPACITY_WINDOW}, from the stored samples. */
  private Div capacityCharts(NodeRow node) {
    List<CapacitySamples.Sample> samples = capacity.since(node.name(), clock.instant().minus(CAPACITY_WINDOW));
    Div charts = new Div(new com.vaadin.flow.component.html.H4("Capacity, last " + CAPACITY_WINDOW.toHours() + " h"));
    charts.setId("capacity-" + node.name());
    charts.addClassName("capacity-charts");
    for (CapacityChart.Resource resource : CapacityChart.Resource.values()) {
      Div chart = new Div();
      chart.addClassName("capacity-chart");
      chart.getStyle().set("max-width", "640px");
      chart.getElement().setProperty("innerHTML", CapacityChart.svg(resource, samples));
      charts.add(chart);
    }
    return charts;
  }

  private static Div facts(NodeRow node) {
    return new Div(new Pre(factsText(node)));
  }

  /**
   * The facts an opened row shows, in words: a GPU agent that never reported is "not reporting",
   * an empty image list "none", GPUs as the grid's summary (never "null" or a raw "[]").
   */
  static String factsText(NodeRow node) {
    String gpuAgent = node.gpuAgentVersion() == null ? "not reporting"
        : node.gpuAgentVersion() + " (" + node.gpuSource()
            + (node.gpuDriverVersion() == null ? "" : ", driver " + node.gpuDriverVersion()) + ")";
    String images = node.images() == null || node.images().isBlank() || node.images().equals("[]") ? "none"
        : node.images();
    return "hostname        " + orDash(node.hostname())
        + "\nlibvirt         " + orDash(node.libvirtUri()) + " (" + orDash(node.libvirtDriver()) + ", domain type "
        + orDash(node.domainType()) + ")"
        + "\nCPUs / memory   " + node.cpus() + " / " + Units.mebibytes(node.memoryMib())
        + "\nstorage         " + Units.gibibytes(node.storageFreeGib()) + " of " + Units.gibibytes(node.storageTotalGib()) + " free"
        + "\nimages          " + images
        + "\nhost agent      " + orDash(node.hostAgentVersion()) + ", announces every " + node.hostAnnounceIntervalSeconds() + " s"
        + "\nGPU agent       " + gpuAgent
        + "\nGPUs            " + gpuSummary(node)
        + "\ncordon          " + (node.cordoned() ? node.cordon() + " (since " + Units.instant(node.cordonedAt()) + ")" : "-")
        + "\nfirst seen      " + Units.instant(node.firstSeenAt());
  }

  private static String orDash(Object value) {
    return value == null ? "-" : value.toString();
  }

  /**
   * "-" before the GPU agent reports, "none" without GPU tooling or GPUs, else e.g. "8 x NVIDIA
   * H100 80GB HBM3, 79.6 GiB each, 120 MiB used" (the raw inventory where it cannot be read).
   */
  public static String gpuSummary(NodeRow node) {
    if (node.gpuSource() == null) {
      return "-";
    }
    if ("none".equals(node.gpuSource()) || node.gpus() == null) {
      return "none";
    }
    try {
      List<GpuInfo> gpus = GPU_JSON.readValue(node.gpus(), new TypeReference<List<GpuInfo>>() {});
      if (gpus.isEmpty()) {
        return "none";
      }
      Map<String, Long> byModel = gpus.stream().collect(Collectors.groupingBy(GpuInfo::model, TreeMap::new, Collectors.counting()));
      long memory = gpus.stream().mapToLong(GpuInfo::memoryMib).min().orElse(0);
      long used = gpus.stream().mapToLong(GpuInfo::memoryUsedMib).sum();
      return byModel.entrySet().stream().map(e -> e.getValue() + " x " + e.getKey()).collect(Collectors.joining(", "))
          + ", " + Units.mebibytes(memory) + " each, " + Units.mebibytes(used) + " used";
    } catch (JsonProcessingException e) {
      return node.gpuSource() + " " + node.gpus();
    }
  }
}
