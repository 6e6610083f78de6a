package io.novacron.control.run;

import io.novacron.control.ui.Units;

import io.novacron.control.ui.Ui;

import io.novacron.control.ui.MainLayout;

import io.novacron.control.ui.LiveRefresh;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.data.value.ValueChangeMode;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import jakarta.annotation.security.PermitAll;
import com.vaadin.flow.router.RouterLink;
import io.novacron.control.run.RunRepository;
import io.novacron.control.run.RunRow;
import io.novacron.workflows.run.RunState;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Every run, newest first: filtered by type, state and text, a page at a time. */
@Route(value = "runs", layout = MainLayout.class)
@PermitAll // any signed-in user; launching actions check the operator role (docs/security.md)
@PageTitle("Runs - NovaCron")
public class RunsView extends VerticalLayout {
  static final int PAGE_SIZE = 20;
  private static final String ANY = "any";

  private final RunRepository runs;
  private final Select<String> type = new Select<>();
  private final Select<String> state = new Select<>();
  private final TextField text = new TextField();
  private final Grid<RunRow> grid = new Grid<>();
  private final Button previous = new Button("Previous");
  private final Button next = new Button("Next");
  private final Span pageLabel = new Span();
  private int page;
  private List<RunRow> shown;
  private boolean refreshing;

  RunsView(RunRepository runs, LiveRefresh live) {
    this.runs = runs;
    setSizeFull();
    configureFilters();
    configureGrid();
    previous.setId("runs-previous");
    next.setId("runs-next");
    pageLabel.setId("runs-page");
    previous.addClickListener(click -> turn(-1));
    next.addClickListener(click -> turn(1));
    HorizontalLayout filters = new HorizontalLayout(type, state, text);
    filters.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);
    HorizontalLayout pager = new HorizontalLayout(previous, pageLabel, next);
    pager.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.CENTER);
    add(new H2("Runs"), filters, grid, pager);
    live.keepFresh(this, this::refresh);
  }

  private void configureFilters() {
    type.setLabel("Type");
    type.setId("runs-type");
    state.setLabel("State");
    state.setId("runs-state");
    List<String> states = new ArrayList<>(List.of(ANY));
    Arrays.stream(RunState.values()).map(Enum::name).forEach(states::add);
    state.setItems(states);
    state.setValue(ANY);
    type.setItems(ANY);
    type.setValue(ANY);
    text.setLabel("Text");
    text.setId("runs-text");
    text.setPlaceholder("id, VM, node, detail");
    text.setClearButtonVisible(true);
    text.setValueChangeMode(ValueChangeMode.LAZY);
    type.addValueChangeListener(change -> firstPage());
    state.addValueChangeListener(change -> firstPage());
    text.addValueChangeListener(change -> firstPage());
  }

  private void configureGrid() {
    grid.setId("runs");
    grid.setAllRowsVisible(true);
    grid.addThemeVariants(com.vaadin.flow.component.grid.GridVariant.LUMO_WRAP_CELL_CONTENT);
    // Fixed widths that wrap, none sized to its longest content: at 1440 px the grid fits without
    // scrolling sideways and the Detail column keeps the widest share. A run id carries its VM's
    // name (up to 63 characters), so it wraps at its hyphens, or anywhere for a name without them.
    grid.addComponentColumn(run -> {
      RouterLink link = new RouterLink(run.id(), RunView.class, RunView.parameters(run.id()));
      link.getStyle().set("white-space", "normal").set("overflow-wrap", "anywhere");
      return link;
    }).setHeader("Run").setWidth("11rem").setFlexGrow(0);
    grid.addComponentColumn(run -> twoLines(run.type(), run.subject())).setHeader("Type / subject")
        .setWidth("10rem").setFlexGrow(0);
    grid.addComponentColumn(run -> {
      Div cell = new Div(Ui.stateBadge(run.state()));
      cell.add(line(run.phase()));
      return cell;
    }).setHeader("State / phase").setWidth("9rem").setFlexGrow(0);
    grid.addComponentColumn(run -> Ui.wrapping(run.node())).setHeader("Node").setWidth("7rem").setFlexGrow(0);
    // The widest share and a floor of its own: squeezed by the auto-width columns, a failure's
    // reason used to stand one word per line. The full text is also its tooltip.
    grid.addComponentColumn(run -> Ui.wrapping(Units.inText(run.detail()))).setHeader("Detail").setWidth("20rem").setFlexGrow(1)
        .setTooltipGenerator(run -> run.detail() == null ? "" : Units.inText(run.detail()));
    // The date on one line and the time on the next: whole, in a column a third narrower.
    grid.addComponentColumn(run -> Ui.wrapping(Units.instant(run.startedAt()))).setHeader("Started")
        .setWidth("9.5rem").setFlexGrow(0);
  }

  /** {@code first} above {@code second} in smaller type, each wrapping. */
  private static Div twoLines(String first, String second) {
    return new Div(line(first), line(second));
  }

  private static Div line(String text) {
    Div line = new Div(Ui.wrapping(text));
    line.getStyle().set("font-size", "var(--lumo-font-size-s)");
    return line;
  }

  private void firstPage() {
    if (refreshing) {
      return; // the type list was updated, not a filter chosen
    }
    page = 0;
    refresh();
  }

  private void turn(int by) {
    page = Math.max(0, page + by);
    refresh();
  }

  private void refresh() {
    refreshing = true;
    try {
      update();
    } finally {
      refreshing = false;
    }
  }

  private void update() {
    List<String> types = new ArrayList<>(List.of(ANY));
    types.addAll(runs.findTypes());
    if (!types.equals(type.getListDataView().getItems().toList())) {
      String selected = type.getValue();
      type.setItems(types);
      type.setValue(types.contains(selected) ? selected : ANY);
    }
    String typeFilter = filter(type.getValue());
    String stateFilter = filter(state.getValue());
    String textFilter = text.getValue() == null || text.getValue().isBlank() ? null : text.getValue().trim();
    long total = runs.countFiltered(typeFilter, stateFilter, textFilter);
    int pages = (int) Math.max(1, (total + PAGE_SIZE - 1) / PAGE_SIZE);
    page = Math.min(page, pages - 1);
    List<RunRow> rows = runs.findFiltered(typeFilter, stateFilter, textFilter, PAGE_SIZE, (long) page * PAGE_SIZE);
    if (!rows.equals(shown)) {
      shown = rows;
      grid.setItems(rows);
    }
    pageLabel.setText("Page " + (page + 1) + " of " + pages + " (" + total + (total == 1 ? " run)" : " runs)"));
    previous.setEnabled(page > 0);
    next.setEnabled(page < pages - 1);
  }

  private static String filter(String value) {
    return value == null || ANY.equals(value) ? null : value;
  }
}
