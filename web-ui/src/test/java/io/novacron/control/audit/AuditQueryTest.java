package io.novacron.control.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.novacron.workflows.FieldError;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AuditQueryTest {
  private final List<FieldError> errors = new ArrayList<>();

  @Test
  void readsEveryFilter() {
    AuditFilter filter = AuditQuery.of("alice", "POST /api/v1/vms", "Refused", "web1",
        "2026-12-06T19:00:00Z", "2026-12-06T21:00:00+01:00", errors);
    assertThat(errors).isEmpty();
    assertThat(filter).isEqualTo(new AuditFilter("alice", "POST /api/v1/vms", Outcome.REFUSED, null, "web1",
        Instant.parse("2026-12-06T19:00:00Z"), Instant.parse("2026-12-06T20:00:00Z")));
  }

  @Test
  void absentAndBlankFiltersMatchEverything() {
    AuditFilter filter = AuditQuery.of(null, null, " ", null, "", null, errors);
    assertThat(errors).isEmpty();
    assertThat(filter.outcome()).isNull();
    assertThat(filter.since()).isNull();
    assertThat(filter.until()).isNull();
  }

  @Test
  void badValuesAreNamedEachByItsParameter() {
    AuditQuery.of(null, null, "ok", null, "yesterday", "2026-12-06", errors);
    assertThat(errors).extracting(FieldError::field).containsExactly("since", "until", "outcome");
    assertThat(errors.get(0).message()).contains("ISO-8601", "'yesterday'");
    assertThat(errors.get(2).message()).contains("'ok'", "accepted, refused, failed");
  }

  @Test
  void untilMustBeAfterSince() {
    AuditQuery.of(null, null, null, null, "2026-12-06T19:00:00Z", "2026-12-06T19:00:00Z", errors);
    assertThat(errors).singleElement().satisfies(e -> {
      assertThat(e.field()).isEqualTo("until");
      assertThat(e.message()).contains("after since");
    });
  }
}
