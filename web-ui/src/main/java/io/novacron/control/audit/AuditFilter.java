package io.novacron.control.audit;

import java.sql.Timestamp;
import java.time.Instant;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Which audit entries to show; each field null or blank matches everything.
 *
 * @param actor the actor's name, exactly (a user or token name)
 * @param action the action's start, e.g. {@code vm.} or {@code POST /api/v1/vms}
 * @param outcome accepted, refused or failed
 * @param text found anywhere in the target, detail or request id, case-insensitive
 * @param target found anywhere in the target (a path, {@code /api/v1/vms (web1)}), case-insensitive
 * @param since entries at or after this instant
 * @param until entries before this instant
 */
public record AuditFilter(
    String actor, String action, Outcome outcome, String text, String target, Instant since, Instant until) {
  /** Everything. */
  public static final AuditFilter NONE = new AuditFilter(null, null, null, null);

  /** The dashboard's filters: no target or time range. */
  public AuditFilter(String actor, String action, Outcome outcome, String text) {
    this(actor, action, outcome, text, null, null, null);
  }

  /** The SQL condition, with the named parameters {@link #bind} sets. */
  String where() {
    return " where " + MATCH;
  }

  /** The condition alone, for plan tests. */
  static final String MATCH = "(cast(:actor as text) is null or actor = :actor)"
      + " and (cast(:action as text) is null or action like :action escape '\\')"
      + " and (cast(:outcome as text) is null or outcome = :outcome)"
      + " and (cast(:text as text) is null or concat_ws(' ', target, detail, request_id) ilike :text escape '\\')"
      + " and (cast(:target as text) is null or target ilike :target escape '\\')"
      + " and (cast(:since as timestamptz) is null or at >= :since)"
      + " and (cast(:until as timestamptz) is null or at < :until)";

  JdbcClient.StatementSpec bind(JdbcClient.StatementSpec sql) {
    return sql.param("actor", blankToNull(actor))
        .param("action", blankToNull(action) == null ? null : like(action.trim()) + "%")
        .param("outcome", outcome == null ? null : outcome.id())
        .param("text", blankToNull(text) == null ? null : "%" + like(text.trim()) + "%")
        .param("target", blankToNull(target) == null ? null : "%" + like(target.trim()) + "%")
        .param("since", since == null ? null : Timestamp.from(since))
        .param("until", until == null ? null : Timestamp.from(until));
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.trim();
  }

  /** The user's text taken literally by LIKE: % and _ are characters, not wildcards. */
  private static String like(String value) {
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
  }
}
