package io.novacron.control.audit;

import io.novacron.control.ui.MainLayout;

import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import io.novacron.control.audit.AuditEvent;
import io.novacron.control.audit.AuditLog;
import io.novacron.control.security.Role;
import jakarta.annotation.security.RolesAllowed;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** The audit trail, newest first, loaded page by page as it scrolls. Operators and admins. */
@Route(value = "audit", layout = MainLayout.class)
@PageTitle("Audit · NovaCron")
@RolesAllowed(Role.OPERATOR_NAME)
public class AuditView extends VerticalLayout {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

  private final AuditLog audit;
  private final Grid<AuditEvent> grid = new Grid<>();

  public AuditView(AuditLog audit) {
    this.audit = audit;
    setSizeFull();
    // Navigation and sign-out are in MainLayout.
    add(new H2("Audit"), grid);
    configureGrid();
  }

  private void configureGrid() {
    grid.setId("audit");
    grid.setSizeFull();
    grid.addColumn(e -> format(e.at())).setHeader("When").setAutoWidth(true);
    grid.addColumn(e -> e.actorKind() + " " + e.actor()).setHeader("Who").setAutoWidth(true);
    grid.addColumn(AuditEvent::action).setHeader("Action").setAutoWidth(true);
    grid.addColumn(AuditEvent::target).setHeader("Target").setTooltipGenerator(AuditEvent::target);
    grid.addColumn(e -> e.status() == null ? e.outcome() : e.outcome() + " " + e.status()).setHeader("Outcome")
        .setAutoWidth(true);
    grid.addColumn(AuditEvent::detail).setHeader("Detail").setTooltipGenerator(AuditEvent::detail).setFlexGrow(3);
    grid.addColumn(AuditEvent::requestId).setHeader("Request id").setTooltipGenerator(AuditEvent::requestId);
    grid.getColumns().forEach(column -> column.setResizable(true));
    grid.setItems(query -> audit.page(query.getLimit(), query.getOffset()).stream());
  }

  private static String format(Instant instant) {
    return instant == null ? "-" : TIME.format(instant);
  }
}
