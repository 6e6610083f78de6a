package io.novacron.control.run;

import io.novacron.workflows.run.RunPhaseChange;
import io.novacron.workflows.run.RunRecordActivities;
import io.novacron.workflows.run.RunStarted;
import java.sql.Timestamp;
import java.time.Instant;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Writes run records. Idempotent: workflow time stamps each change, so a retried local activity
 * finds its event already there and changes nothing.
 */
@Component
public class RunRecordActivitiesImpl implements RunRecordActivities {
  private final JdbcClient jdbc;
  private final MeterRegistry meters;

  RunRecordActivitiesImpl(JdbcClient jdbc, MeterRegistry meters) {
    this.jdbc = jdbc;
    this.meters = meters;
  }

  @Override
  public void started(RunStarted run) {
    Timestamp at = Timestamp.from(Instant.ofEpochMilli(run.startedAtMillis()));
    jdbc.sql("""
            insert into runs (id, type, subject, input, state, phase, started_at, updated_at)
            values (:id, :type, :subject, :input, 'RUNNING', 'pending', :at, :at)
            on conflict (id) do nothing""")
        .param("id", run.runId()).param("type", run.type()).param("subject", run.subject())
        .param("input", run.inputJson()).param("at", at)
        .update();
  }

  @Override
  @Transactional
  public void phase(RunPhaseChange change) {
    Timestamp at = Timestamp.from(Instant.ofEpochMilli(change.atMillis()));
    int inserted = jdbc.sql("""
            insert into run_events (run_id, phase, state, detail, at) values (:id, :phase, :state, :detail, :at)
            on conflict (run_id, phase, at) do nothing""")
        .param("id", change.runId()).param("phase", change.phase()).param("state", change.state().name())
        .param("detail", change.detail()).param("at", at)
        .update();
    if (inserted == 0) {
      return;
    }
    jdbc.sql("""
            update runs set phase = :phase, state = :state, detail = coalesce(:detail, detail),
                updated_at = :at, ended_at = :endedAt, node = coalesce(:node, node)
            where id = :id and updated_at <= :at""")
        .param("id", change.runId()).param("phase", change.phase()).param("state", change.state().name())
        .param("detail", change.detail()).param("at", at)
        .param("endedAt", change.state().isTerminal() ? at : null)
        .param("node", change.node())
        .update();
    if (change.state().isTerminal()) {
      // Counted once: a retried record found its event already there and returned above.
      String type = jdbc.sql("select type from runs where id = :id").param("id", change.runId())
          .query((rs, i) -> rs.getString(1)).optional().orElse("unknown");
      meters.counter("novacron.runs.finished", "type", type, "state", change.state().name().toLowerCase())
          .increment();
    }
  }
}
