package io.novacron.control.audit;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Service;

/**
 * The audit trail in PostgreSQL: who did what to what, and how it ended. Mutating REST calls are
 * recorded by {@link ApiAuditFilter} without any help from controllers; logins by the login
 * provider; dashboard actions call {@link #recordDashboardAction}.
 */
@Service
public class AuditLog {
  private static final Logger log = LoggerFactory.getLogger(AuditLog.class);
  /** Details are messages for people, not dumps. */
  static final int MAX_TEXT = 1000;

  private final JdbcClient jdbc;
  private final Clock clock;

  AuditLog(JdbcClient jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
  }

  public void record(AuditEntry entry) {
    jdbc.sql("insert into audit_events (at, actor_kind, actor, action, target, outcome, status, detail, request_id, client) "
            + "values (:at, :kind, :actor, :action, :target, :outcome, :status, :detail, :requestId, :client)")
        .param("at", Timestamp.from(entry.at()))
        .param("kind", entry.actor().kind().id())
        .param("actor", cut(entry.actor().name()))
        .param("action", cut(entry.action()))
        .param("target", cut(entry.target()))
        .param("outcome", entry.outcome().id())
        .param("status", entry.status())
        .param("detail", cut(entry.detail()))
        .param("requestId", entry.requestId())
        .param("client", entry.client())
        .update();
    log.info("audit: {} {} {} -> {}{}", entry.actor(), entry.action(), entry.target() == null ? "" : entry.target(),
        entry.outcome().id(), entry.detail() == null ? "" : " (" + entry.detail() + ")");
  }

  /**
   * Records an action taken in the dashboard by the user signed in to this session, e.g.
   * {@code recordDashboardAction("run.cancel", runId, Outcome.ACCEPTED, null)}.
   */
  public void recordDashboardAction(String action, String target, Outcome outcome, String detail) {
    record(new AuditEntry(clock.instant(), currentActor(), action, target, outcome, null, detail,
        UUID.randomUUID().toString(), null));
  }

  /** The newest entries first. */
  public List<AuditEvent> page(int limit, long offset) {
    return page(AuditFilter.NONE, limit, offset);
  }

  /** The newest entries that match {@code filter} first. */
  public List<AuditEvent> page(AuditFilter filter, int limit, long offset) {
    return filter.bind(jdbc.sql("select * from audit_events" + filter.where()
            + " order by at desc, id desc limit :limit offset :offset"))
        .param("limit", limit).param("offset", offset).query(AuditLog::row).list();
  }

  public long count() {
    return count(AuditFilter.NONE);
  }

  /** How many entries match {@code filter}. */
  public long count(AuditFilter filter) {
    return filter.bind(jdbc.sql("select count(*) from audit_events" + filter.where())).query(Long.class).single();
  }

  /** The actor names recorded so far, for the dashboard's filter choices. */
  public List<String> actors() {
    return jdbc.sql("select distinct actor from audit_events order by actor").query(String.class).list();
  }

  /** The signed-in user or token of the current thread, or anonymous. */
  public static Actor currentActor() {
    Authentication auth = SecurityContextHolder.getContext().getAuthentication();
    if (auth == null || !auth.isAuthenticated() || auth instanceof AnonymousAuthenticationToken) {
      return Actor.anonymous("not signed in");
    }
    return auth.getPrincipal() instanceof Actor actor ? actor : Actor.user(auth.getName());
  }

  /**
   * The text as a column can hold it: at most {@value #MAX_TEXT} characters, and no NUL, which
   * PostgreSQL's text type refuses ("invalid byte sequence for encoding UTF8: 0x00"). A request
   * carrying one (a fuzzer's label, a crafted name) is refused by the API, and its audit row must
   * still be written: the NUL becomes U+FFFD.
   */
  static String cut(String text) {
    if (text == null) {
      return null;
    }
    String storable = text.indexOf('\u0000') < 0 ? text : text.replace('\u0000', '\uFFFD');
    return storable.length() <= MAX_TEXT ? storable : storable.substring(0, MAX_TEXT - 1) + "…";
  }

  private static AuditEvent row(ResultSet rs, int rowNum) throws SQLException {
    Integer status = rs.getObject("status", Integer.class);
    return new AuditEvent(rs.getLong("id"), rs.getTimestamp("at").toInstant(), rs.getString("actor_kind"),
        rs.getString("actor"), rs.getString("action"), rs.getString("target"), rs.getString("outcome"),
        status, rs.getString("detail"), rs.getString("request_id"), rs.getString("client"));
  }
}
