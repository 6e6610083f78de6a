package io.novacron.control.audit;

import io.novacron.workflows.FieldError;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** The filters of {@code GET /api/v1/audit} read from its query parameters. */
final class AuditQuery {
  private AuditQuery() {}

  /**
   * The filter the parameters ask for: blank is absent, the outcome in any case, times as ISO-8601
   * instants with an offset ({@code 2026-12-06T19:00:00Z}, {@code ...+01:00}). Each bad parameter
   * is added to {@code errors} by name (and left unfiltered), so one 400 can report them all.
   */
  static AuditFilter of(String actor, String action, String outcome, String target, String since, String until,
      List<FieldError> errors) {
    Instant from = instant("since", since, errors);
    Instant to = instant("until", until, errors);
    if (from != null && to != null && !from.isBefore(to)) {
      errors.add(new FieldError("until", "must be after since (" + since.trim() + "), was '" + until + "'"));
    }
    return new AuditFilter(actor, action, outcome(outcome, errors), null, target, from, to);
  }

  private static Outcome outcome(String text, List<FieldError> errors) {
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      return Outcome.valueOf(text.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      errors.add(new FieldError("outcome", "'" + text + "' is no outcome; use one of "
          + Arrays.stream(Outcome.values()).map(Outcome::id).collect(Collectors.joining(", "))));
      return null;
    }
  }

  private static Instant instant(String name, String text, List<FieldError> errors) {
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      return OffsetDateTime.parse(text.trim()).toInstant();
    } catch (DateTimeParseException e) {
      errors.add(new FieldError(name, "must be an ISO-8601 time with an offset, e.g. 2026-12-06T19:00:00Z, was '"
          + text + "'"));
      return null;
    }
  }
}
