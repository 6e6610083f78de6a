package io.novacron.control.ui;

import io.novacron.control.run.RunView;

import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.FlexLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import jakarta.annotation.security.PermitAll;
import com.vaadin.flow.router.RouterLink;
import io.novacron.control.inventory.NodeRepository;
import io.novacron.control.inventory.NodeRow;
import io.novacron.control.inventory.VmAttention;
import io.novacron.control.run.RunRepository;
import io.novacron.control.run.RunRow;
import io.novacron.control.run.RunStatistics;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The first page: nodes up and stale, VMs by state, VMs that need an operator (missing, or a run
 * about them waits in ATTENTION) by name, runs in flight and ended today, latest runs.
 */
@Route(value = "", layout = MainLayout.class)
@PermitAll // any signed-in user; launching actions check the operator role (docs/security.md)
@PageTitle("NovaCron")
public class OverviewView extends VerticalLayout {
  static final int LATEST_RUNS = 10;

  private final NodeRepository nodes;
  private final RunRepository runs;
  private final RunStatistics statistics;
  private final VmAttention attention;
  private final Clock clock;

  private final Div driverBanner = new Div();
  private final Span nodesUp = figure("nodes-up");
  private final Span nodesStale = figure("nodes-stale");
  private final Span vmsByState = figure("vms-by-state");
  private final Span vmsAttention = figure("vms-attention");
  private final Span vmsAttentionNames = new Span();
  private final Span runsRunning = figure("runs-running");
  private final Span runsFailed = figure("runs-failed-today");
  private final Span runsSucceeded = figure("runs-succeeded-today");
  private final Span runsCancelled = figure("runs-cancelled-today");
  private final Grid<RunRow> latest = new Grid<>();

  OverviewView(NodeRepository nodes, RunRepository runs, RunStatistics statistics, VmAttention attention,
      Clock clock, LiveRefresh live) {
    this.nodes = nodes;
    this.runs = runs;
    this.statistics = statistics;
    this.attention = attention;
    this.clock = clock;
    driverBanner.setId("driver-banner");
    vmsAttentionNames.setId("vms-attention-names");
    vmsAttentionNames.getStyle().set("font-size", "var(--lumo-font-size-s)");
    Div attentionCard = card("VMs needing attention", vmsAttention);
    attentionCard.add(new Div(vmsAttentionNames));
    FlexLayout cards = new FlexLayout(
        card("Nodes up", nodesUp), card("Nodes stale", nodesStale), card("VMs", vmsByState), attentionCard,
        card("Runs in flight", runsRunning), card("Succeeded today", runsSucceeded),
        card("Failed today", runsFailed), card("Cancelled today", runsCancelled));
    cards.setFlexWrap(FlexLayout.FlexWrap.WRAP);
    cards.getStyle().set("gap", "var(--lumo-space-m)");
    configureLatest();
    add(new H2("Overview"), driverBanner, cards, new H3("Latest runs"), latest);
    live.keepFresh(this, this::refresh);
  }

  private void configureLatest() {
    latest.setId("latest-runs");
    latest.setAllRowsVisible(true);
    latest.addComponentColumn(run -> new RouterLink(run.id(), RunView.class, RunView.parameters(run.id())))
        .setHeader("Run").setAutoWidth(true);
    latest.addColumn(RunRow::type).setHeader("Type");
    latest.addColumn(RunRow::subject).setHeader("Subject");
    latest.addComponentColumn(run -> Ui.stateBadge(run.state())).setHeader("State");
    latest.addColumn(RunRow::phase).setHeader("Phase");
    latest.addColumn(run -> Units.instant(run.startedAt())).setHeader("Started");
  }

  private void refresh() {
    Instant now = clock.instant();
    List<NodeRow> nodeRows = nodes.findAllByOrderByName();
    long stale = nodeRows.stream().filter(n -> n.hostStale(now)).count();
    nodesUp.setText(String.valueOf(nodeRows.size() - stale));
    nodesStale.setText(String.valueOf(stale));
    Map<String, Long> vms = statistics.vmsByState();
    vmsByState.setText(vms.isEmpty() ? "none" : vms.entrySet().stream()
        .map(e -> e.getValue() + " " + e.getKey()).collect(Collectors.joining(", ")));
    Map<String, VmAttention.Need> needs = attention.byVm();
    vmsAttention.setText(String.valueOf(needs.size()));
    if (needs.isEmpty()) {
      vmsAttention.getStyle().remove("color");
    } else {
      vmsAttention.getStyle().set("color", "var(--lumo-error-text-color)");
    }
    vmsAttentionNames.setText(needs.values().stream().map(n -> n.vm() + " (" + n.reason() + ")")
        .collect(Collectors.joining(", ")));
    RunStatistics.RunCounts counts = statistics.counts();
    runsRunning.setText(String.valueOf(counts.running()));
    runsSucceeded.setText(String.valueOf(counts.endedToday("SUCCEEDED")));
    runsFailed.setText(String.valueOf(counts.endedToday("FAILED")));
    runsCancelled.setText(String.valueOf(counts.endedToday("CANCELLED")));
    latest.setItems(runs.findPage(LATEST_RUNS, 0));
    List<String> simulated = nodeRows.stream().filter(NodeRow::simulated).map(NodeRow::name).toList();
    driverBanner.setText(simulated.isEmpty()
        ? "All nodes drive real libvirt hypervisors."
        : "Simulated: " + String.join(", ", simulated)
            + " use libvirt's test:///default driver; their VMs are not real guests. Install libvirt and QEMU for real ones.");
  }

  private static Span figure(String id) {
    Span figure = new Span("-");
    figure.setId(id);
    figure.getStyle().set("font-size", "var(--lumo-font-size-xl)").set("font-weight", "600");
    return figure;
  }

  private static Div card(String title, Span figure) {
    Span label = new Span(title);
    label.getStyle().set("color", "var(--lumo-secondary-text-color)").set("font-size", "var(--lumo-font-size-s)");
    Div card = new Div(label, new Div(figure));
    card.getStyle().set("padding", "var(--lumo-space-m)").set("border-radius", "var(--lumo-border-radius-l)")
        .set("background", "var(--lumo-contrast-5pct)").set("min-width", "9em");
    return card;
  }
}
