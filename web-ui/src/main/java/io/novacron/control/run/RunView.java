package io.novacron.control.run;

import io.novacron.control.ui.Units;

import io.novacron.control.ui.Ui;

import io.novacron.control.ui.MainLayout;

import io.novacron.control.ui.LiveRefresh;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import com.vaadin.flow.component.orderedlayout.FlexLayout;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import jakarta.annotation.security.PermitAll;
import com.vaadin.flow.router.RouteParameters;
import com.vaadin.flow.spring.security.AuthenticationContext;
import io.novacron.control.audit.AuditLog;
import io.novacron.control.audit.Outcome;
import io.novacron.control.security.Role;
import io.novacron.control.run.RunControl;
import io.novacron.control.run.RunEventRepository;
import io.novacron.control.run.RunEventRow;
import io.novacron.control.run.RunRepository;
import io.novacron.control.run.RunResolutions;
import io.novacron.control.run.RunRow;
import io.novacron.control.run.RunStates;
import io.novacron.workflows.migrate.MigrateVmWorkflow;
import io.novacron.workflows.run.RunState;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One run: its state, the phase timeline and event log from the run records, a live progress bar
 * while a migration transfers, and the controls that act on the workflow (cancel, or for a
 * migration abort and force-complete, and its resolutions while it waits for an operator).
 */
@Route(value = "runs/:runId", layout = MainLayout.class)
@PermitAll // any signed-in user; launching actions check the operator role (docs/security.md)
@PageTitle("Run - NovaCron")
public class RunView extends VerticalLayout implements BeforeEnterObserver {
  static final String PARAMETER = "runId";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final RunRepository runs;
  private final RunEventRepository events;
  private final RunControl control;
  private final RunResolutions resolutions;
  private final RunProgressReader progress;
  private final MigrationSamples samples;

  private final H2 title = new H2();
  private final Span state = new Span();
  private final Span summary = new Span();
  private final FlexLayout timeline = new FlexLayout();
  private final TransferProgress transfer = new TransferProgress();
  /** How the run stands in words: for a failure, its real reason. */
  private final H3 headline = new H3();
  private final Grid<RunEventRow> log = new Grid<>();
  /** A drain's or a rebalance's VMs, each with its state, target and move run. */
  private final Grid<RunItems.Item> itemGrid = new Grid<>();
  private final H3 itemTitle = new H3("VMs");
  private final RunItems items;
  private List<RunItems.Item> shownItems;
  private final Button cancel = new Button();
  private final Button forceComplete = new Button("Force complete");
  private final ResolveSection attention;
  private final AuditLog audit;
  /** Whether the signed-in user may cancel and force runs; viewers only watch. */
  private final boolean operator;
  private String runId;
  private RunRow shown;
  private List<RunEventRow> shownEvents;

  RunView(RunRepository runs, RunEventRepository events, RunControl control, RunResolutions resolutions,
      RunProgressReader progress, MigrationSamples samples, AuthenticationContext authentication, AuditLog audit, LiveRefresh live,
      RunItems items) {
    this.items = items;
    this.operator = authentication.hasRole(Role.OPERATOR_NAME);
    this.audit = audit;
    this.runs = runs;
    this.events = events;
    this.control = control;
    this.resolutions = resolutions;
    this.progress = progress;
    this.samples = samples;
    this.attention = new ResolveSection(operator);
    state.setId("run-state");
    summary.setId("run-summary");
    timeline.setId("run-timeline");
    timeline.setFlexWrap(FlexLayout.FlexWrap.WRAP);
    timeline.getStyle().set("gap", "var(--lumo-space-xs)");
    headline.setId("run-headline");
    configureLog();
    configureItems();
    configureControls();
    configureAttention();
    HorizontalLayout header = new HorizontalLayout(state, summary);
    header.setDefaultVerticalComponentAlignment(Alignment.CENTER);
    add(title, headline, header, new HorizontalLayout(cancel, forceComplete), attention,
        new H3("Phases"), timeline, transfer, itemTitle, itemGrid, new H3("Event log"), log);
    live.keepFresh(this, this::refresh);
  }

  /** Route parameters of the page of run {@code runId}. */
  public static RouteParameters parameters(String runId) {
    return new RouteParameters(PARAMETER, runId);
  }

  @Override
  public void beforeEnter(BeforeEnterEvent event) {
    runId = event.getRouteParameters().get(PARAMETER).orElseThrow();
    title.setText(runId);
    shown = null;
    shownEvents = null;
    shownItems = null;
  }

  private void configureLog() {
    log.setId("run-events");
    log.setAllRowsVisible(true);
    log.addThemeVariants(com.vaadin.flow.component.grid.GridVariant.LUMO_WRAP_CELL_CONTENT);
    log.addColumn(e -> Units.instant(e.at())).setHeader("At").setAutoWidth(true);
    log.addColumn(RunEventRow::phase).setHeader("Phase");
    log.addColumn(RunEventRow::state).setHeader("State");
    log.addColumn(e -> Units.inText(e.detail())).setHeader("Detail").setFlexGrow(3);
  }

  private void configureControls() {
    cancel.setId("run-cancel");
    cancel.addThemeVariants(ButtonVariant.LUMO_ERROR);
    cancel.addClickListener(click -> confirmCancel());
    forceComplete.setId("run-force-complete");
    forceComplete.addClickListener(click -> {
      control.forceComplete(runId);
      audit.recordDashboardAction("run.force-complete", runId, Outcome.ACCEPTED, null);
      Notification.show("Asked " + runId + " to complete now");
    });
  }

  /** The same check and words as {@code POST /api/v1/runs/<id>/resolve}, audited like the other actions. */
  private void configureAttention() {
    attention.setVisible(false);
    attention.addResolveListener(event -> {
      String action = RunResolutions.action(event.resolution());
      RunResolutions.Outcome outcome = resolutions.resolve(runId, event.resolution());
      boolean taken = outcome.verdict() == RunResolutions.Verdict.RESOLVED;
      audit.recordDashboardAction("run.resolve", runId, taken ? Outcome.ACCEPTED : Outcome.REFUSED,
          action + ": " + outcome.message());
      Notification note = Notification.show(outcome.message(), taken ? 5000 : 8000, Notification.Position.BOTTOM_END);
      note.addThemeVariants(taken ? NotificationVariant.LUMO_SUCCESS : NotificationVariant.LUMO_ERROR);
    });
  }

  /** Cancelling rolls the run back: worth a second click. */
  private void confirmCancel() {
    Dialog confirm = new Dialog();
    confirm.setId("run-cancel-dialog");
    confirm.setHeaderTitle(cancel.getText() + " " + runId + "?");
    confirm.add(new Paragraph(migration()
        ? "The migration job is aborted and everything it did on the target is undone; the VM keeps running on the source."
        : "The run stops and undoes what it did so far."));
    Button yes = new Button(cancel.getText(), click -> {
      control.cancel(runId);
      audit.recordDashboardAction("run.cancel", runId, Outcome.ACCEPTED, null);
      confirm.close();
      Notification.show("Asked " + runId + " to cancel");
      refresh(); // shows "cancelling…" and disables the button at once, not on the next tick
    });
    yes.setId("run-cancel-confirm");
    yes.addThemeVariants(ButtonVariant.LUMO_ERROR, ButtonVariant.LUMO_PRIMARY);
    confirm.getFooter().add(new Button("Keep running", click -> confirm.close()), yes);
    confirm.open();
  }

  private boolean migration() {
    return shown != null && MigrateVmWorkflow.TYPE.equals(shown.type());
  }

  private void configureItems() {
    itemGrid.setId("run-items");
    itemGrid.setAllRowsVisible(true);
    itemGrid.addThemeVariants(com.vaadin.flow.component.grid.GridVariant.LUMO_WRAP_CELL_CONTENT);
    itemGrid.addColumn(RunItems.Item::item).setHeader("VM").setAutoWidth(true);
    itemGrid.addComponentColumn(i -> Ui.badge(i.state(), switch (i.state()) {
      case "moved" -> "success";
      case "stayed" -> "error";
      case "moving" -> "";
      default -> "contrast";
    })).setHeader("State").setAutoWidth(true);
    itemGrid.addColumn(RunItems.Item::target).setHeader("Target").setAutoWidth(true);
    itemGrid.addComponentColumn(i -> {
      if (i.childRun() == null) {
        return new Span();
      }
      com.vaadin.flow.router.RouterLink link = new com.vaadin.flow.router.RouterLink(i.childRun(), RunView.class,
          parameters(i.childRun()));
      return link;
    }).setHeader("Move run").setAutoWidth(true);
    itemGrid.addColumn(RunItems.Item::detail).setHeader("Detail").setFlexGrow(3);
    itemTitle.setVisible(false);
    itemGrid.setVisible(false);
  }

  private void refresh() {
    Optional<RunRow> found = runs.findById(runId);
    if (found.isEmpty()) {
      // Started but not yet recorded (its first workflow task is pending), or unknown.
      boolean known = control.exists(runId);
      state.setText(known ? "PENDING" : "UNKNOWN");
      summary.setText(known ? "waiting for the run's first record" : "no run with this id");
      cancel.setVisible(false);
      forceComplete.setVisible(false);
      attention.setVisible(false);
      return;
    }
    RunRow run = found.get();
    boolean running = "RUNNING".equals(run.state());
    boolean waiting = RunState.ATTENTION.name().equals(run.state());
    // A migration waiting for a slot can be withdrawn before it touches anything; one waiting for
    // an operator is active too, but is resolved, not cancelled (its rollback could not know what to remove).
    boolean cancellable = RunStates.active(run.state()) && !waiting;
    List<RunEventRow> rows = events.findTimeline(runId);
    boolean cancelling = CancelRequests.cancelling(run, rows);
    if (!run.equals(shown) || !rows.equals(shownEvents)) {
      shown = run;
      state.setText(cancelling ? "CANCELLING…" : run.state());
      state.getElement().getThemeList().clear();
      state.getElement().getThemeList().addAll(
          Ui.stateBadge(cancelling ? CancelRequests.STATE : run.state()).getElement().getThemeList());
      headline.setText(Units.inText(RunHeadline.of(run, rows)));
      summary.setText(run.type() + " of " + run.subject() + (run.node() == null ? "" : " on " + run.node())
          + ", phase " + run.phase() + (run.detail() == null ? "" : ": " + Units.inText(run.detail()))
          + "; started " + Units.instant(run.startedAt()) + (run.endedAt() == null ? "" : ", ended " + Units.instant(run.endedAt())));
      cancel.setText(cancelling ? "Cancelling…" : migration() ? "Abort migration" : "Cancel run");
      if (waiting) {
        attention.show(run.detail(), inputField(run, "sourceNode"), inputField(run, "targetNode"));
      }
    }
    attention.setVisible(waiting && migration());
    cancel.setVisible(operator && cancellable);
    // Asked once already: a second click would only repeat the request while the rollback runs.
    cancel.setEnabled(!cancelling);
    // The workflow ignores a force-complete outside its transfer phase: offer it only there.
    forceComplete.setVisible(operator && running && migration() && "transfer".equals(run.phase()));
    if (!rows.equals(shownEvents)) {
      shownEvents = rows;
      log.setItems(rows);
      drawTimeline(rows, run);
    }
    List<RunItems.Item> nowItems = items.of(runId);
    if (!nowItems.equals(shownItems)) {
      shownItems = nowItems;
      itemGrid.setItems(nowItems);
      itemTitle.setVisible(!nowItems.isEmpty());
      itemGrid.setVisible(!nowItems.isEmpty());
    }
    if (migration()) {
      // The stored series makes the chart whole for a page opened late or after the run; the live
      // figures come from the one path the REST API and the CLI use.
      transfer.show(progress.live(run), samples.series(runId));
    } else {
      transfer.hide();
    }
  }

  /** A text field of the run's recorded request (a migration's nodes), or null. */
  private static String inputField(RunRow run, String field) {
    try {
      JsonNode value = run.input() == null ? null : JSON.readTree(run.input()).get(field);
      return value == null || value.isNull() ? null : value.asText();
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  /** One chip per phase in the order entered, coloured by how it ended. */
  private void drawTimeline(List<RunEventRow> rows, RunRow run) {
    Map<String, String> phases = new LinkedHashMap<>();
    for (RunEventRow row : rows) {
      phases.put(row.phase(), row.state());
    }
    timeline.removeAll();
    phases.forEach((phase, phaseState) -> {
      boolean current = phase.equals(run.phase());
      String variant = !current ? "success"
          : switch (run.state()) {
            case "FAILED" -> "error";
            case "CANCELLED" -> "contrast";
            case "SUCCEEDED" -> "success";
            case "ATTENTION" -> "error primary";
            default -> "";
          };
      Span chip = Ui.badge(phase, variant);
      chip.addClassName("phase");
      timeline.add(chip);
    });
  }
}
