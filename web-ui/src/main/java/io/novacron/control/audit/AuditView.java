package io.novacron.control.audit;

import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.grid.ColumnTextAlign;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.data.provider.CallbackDataProvider;
import com.vaadin.flow.data.provider.ConfigurableFilterDataProvider;
import com.vaadin.flow.data.provider.DataProvider;
import com.vaadin.flow.data.value.ValueChangeMode;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import io.novacron.control.security.Role;
import io.novacron.control.ui.MainLayout;
import io.novacron.control.ui.Ui;
import io.novacron.control.ui.Units;
import jakarta.annotation.security.RolesAllowed;

/**
 * The audit trail, newest first, loaded page by page as it scrolls, narrowed by actor, action,
 * outcome and text. Operators and admins. Sized to fit a 1440 px window beside the navigation
 * drawer without scrolling sideways: the columns' floors add up to 57em (912 px of the about
 * 1150 px left), the flex shares take the rest, and long words wrap inside their cells.
 */
@Route(value = "audit", layout = MainLayout.class)
@PageTitle("Audit · NovaCron")
@RolesAllowed(Role.OPERATOR_NAME)
public class AuditView extends VerticalLayout {
  private static final String ANY_OUTCOME = "any";

  private final AuditLog audit;
  private final Grid<AuditEvent> grid = new Grid<>();
  private final ComboBox<String> actor = new ComboBox<>("Actor");
  private final TextField action = new TextField("Action");
  private final Select<String> outcome = new Select<>();
  private final TextField text = new TextField("Text");
  private final ConfigurableFilterDataProvider<AuditEvent, Void, AuditFilter> entries;

  public AuditView(AuditLog audit) {
    this.audit = audit;
    CallbackDataProvider<AuditEvent, AuditFilter> callbacks = DataProvider.fromFilteringCallbacks(
        query -> audit.page(query.getFilter().orElse(AuditFilter.NONE), query.getLimit(), query.getOffset()).stream(),
        query -> (int) Math.min(Integer.MAX_VALUE, audit.count(query.getFilter().orElse(AuditFilter.NONE))));
    this.entries = callbacks.withConfigurableFilter();
    setSizeFull();
    configureFilters();
    configureGrid();
    HorizontalLayout filters = new HorizontalLayout(actor, action, outcome, text);
    filters.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);
    // Navigation and sign-out are in MainLayout.
    add(new H2("Audit"), filters, grid);
  }

  private void configureFilters() {
    actor.setId("audit-actor");
    actor.setItems(audit.actors());
    actor.setClearButtonVisible(true);
    actor.setPlaceholder("anyone");
    action.setId("audit-action");
    action.setPlaceholder("e.g. vm. or POST /api/v1/vms");
    action.setHelperText("the action's start");
    outcome.setId("audit-outcome");
    outcome.setLabel("Outcome");
    outcome.setItems(ANY_OUTCOME, Outcome.ACCEPTED.id(), Outcome.REFUSED.id(), Outcome.FAILED.id());
    outcome.setValue(ANY_OUTCOME);
    text.setId("audit-text");
    text.setPlaceholder("target, detail, request id");
    text.setClearButtonVisible(true);
    action.setClearButtonVisible(true);
    action.setValueChangeMode(ValueChangeMode.LAZY);
    text.setValueChangeMode(ValueChangeMode.LAZY);
    actor.addValueChangeListener(change -> applyFilter());
    action.addValueChangeListener(change -> applyFilter());
    outcome.addValueChangeListener(change -> applyFilter());
    text.addValueChangeListener(change -> applyFilter());
  }

  /** The filter the fields describe now. */
  AuditFilter filter() {
    String chosen = outcome.getValue();
    Outcome wanted = chosen == null || ANY_OUTCOME.equals(chosen) ? null : Outcome.valueOf(chosen.toUpperCase(java.util.Locale.ROOT));
    return new AuditFilter(actor.getValue(), action.getValue(), wanted, text.getValue());
  }

  private void applyFilter() {
    entries.setFilter(filter());
  }

  private void configureGrid() {
    grid.setId("audit");
    grid.setSizeFull();
    // Long targets and details wrap onto more lines instead of widening the grid past the window.
    grid.addThemeVariants(GridVariant.LUMO_WRAP_CELL_CONTENT);
    grid.addColumn(e -> Units.instant(e.at())).setHeader("When").setWidth("14rem").setFlexGrow(0);
    grid.addComponentColumn(e -> Ui.wrapping(e.actorKind() + " " + e.actor())).setHeader("Who").setWidth("7rem").setFlexGrow(1);
    grid.addComponentColumn(e -> Ui.wrapping(e.action())).setHeader("Action").setWidth("9rem").setFlexGrow(1);
    grid.addComponentColumn(e -> Ui.wrapping(e.target())).setHeader("Target").setTooltipGenerator(AuditEvent::target)
        .setWidth("6rem").setFlexGrow(2);
    grid.addColumn(e -> e.status() == null ? e.outcome() : e.outcome() + " " + e.status()).setHeader("Outcome")
        .setWidth("7rem").setFlexGrow(0).setTextAlign(ColumnTextAlign.START);
    grid.addComponentColumn(e -> Ui.wrapping(e.detail())).setHeader("Detail").setTooltipGenerator(AuditEvent::detail)
        .setWidth("8rem").setFlexGrow(4);
    grid.addComponentColumn(e -> Ui.wrapping(e.requestId())).setHeader("Request id").setTooltipGenerator(AuditEvent::requestId)
        .setWidth("6rem").setFlexGrow(1);
    grid.getColumns().forEach(column -> column.setResizable(true));
    grid.setItems(entries);
  }
}
