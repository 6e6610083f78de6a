package io.novacron.control.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.data.provider.Query;
import com.vaadin.flow.component.grid.Grid;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The Audit page's filter fields, without a browser: what they ask the audit log for. */
class AuditViewTest {
  private final AuditLog audit = mock(AuditLog.class);

  @Test
  void theFieldsAboveTheGridNarrowWhatTheGridAsksFor() {
    when(audit.actors()).thenReturn(List.of("alice", "bob"));
    AuditEvent refused = new AuditEvent(1, Instant.parse("2026-12-06T05:00:00Z"), "user", "alice",
        "POST /api/v1/vms", "/api/v1/vms", "refused", 400, "memoryMib: must be at least 64", "req-1", null);
    AuditFilter wanted = new AuditFilter("alice", "POST /api/v1/vms", Outcome.REFUSED, "memoryMib");
    when(audit.page(any(AuditFilter.class), anyInt(), anyLong())).thenReturn(List.of());
    when(audit.page(org.mockito.ArgumentMatchers.eq(wanted), anyInt(), anyLong())).thenReturn(List.of(refused));
    when(audit.count(any(AuditFilter.class))).thenReturn(0L);
    when(audit.count(wanted)).thenReturn(1L);
    AuditView view = new AuditView(audit);

    field(view, "audit-actor", ComboBox.class).setValue("alice");
    field(view, "audit-action", TextField.class).setValue("POST /api/v1/vms");
    field(view, "audit-outcome", Select.class).setValue("refused");
    field(view, "audit-text", TextField.class).setValue("memoryMib");

    assertThat(view.filter()).isEqualTo(wanted);
    @SuppressWarnings("unchecked")
    Grid<AuditEvent> grid = (Grid<AuditEvent>) view.getChildren().filter(Grid.class::isInstance).findFirst().orElseThrow();
    assertThat(grid.getDataProvider().fetch(new Query<>()).collect(Collectors.toList())).containsExactly(refused);
    assertThat(grid.getDataProvider().size(new Query<>())).isEqualTo(1);
  }

  @Test
  void anyOutcomeMeansNoOutcomeFilter() {
    when(audit.actors()).thenReturn(List.of());
    AuditView view = new AuditView(audit);

    assertThat(view.filter()).isEqualTo(new AuditFilter(null, "", null, ""));
  }

  @SuppressWarnings("unchecked")
  private static <T> T field(AuditView view, String id, Class<T> type) {
    return (T) view.getChildren().flatMap(c -> c.getChildren())
        .filter(c -> c.getId().filter(id::equals).isPresent()).findFirst().orElseThrow();
  }
}
