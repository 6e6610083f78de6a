package io.novacron.control.run;

import io.novacron.control.audit.AuditLog;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Remembers that someone asked a run to cancel, as a {@value #STATE} entry in the run's timeline
 * (run_events), so every page and client can tell a run that is rolling back on request from one
 * that simply runs. Temporal keeps the request too, but only as a history event that would cost a
 * history read on every refresh; the workflow records CANCELLED itself when its rollback is done.
 */
@Service
public class CancelRequests {
  /** The timeline state of a cancel request; not a {@link io.novacron.workflows.run.RunState}. */
  public static final String STATE = "CANCEL_REQUESTED";

  private final JdbcClient jdbc;
  private final Clock clock;

  CancelRequests(JdbcClient jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
  }

  /**
   * Records the request of the signed-in user (or token) against the run's current phase; nothing
   * when the run has no record yet (its first workflow task is still pending).
   */
  void record(String runId) {
    jdbc.sql("""
            insert into run_events (run_id, phase, state, detail, at)
            select id, phase, :state, :detail, :at from runs where id = :id
            on conflict (run_id, phase, at) do nothing""")
        .param("id", runId).param("state", STATE)
        .param("detail", "cancel requested by " + AuditLog.currentActor().name())
        .param("at", Timestamp.from(clock.instant()))
        .update();
  }

  /** Whether the run is still active although cancelling was asked of it: it is rolling back. */
  public static boolean cancelling(RunRow run, List<RunEventRow> timeline) {
    return RunStates.active(run.state()) && timeline.stream().anyMatch(event -> STATE.equals(event.state()));
  }
}
