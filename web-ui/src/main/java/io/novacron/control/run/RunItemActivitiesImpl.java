package io.novacron.control.run;

import io.novacron.workflows.run.RunItemActivities;
import io.novacron.workflows.run.RunItemChange;
import java.sql.Timestamp;
import java.time.Instant;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Writes a parent run's items (run_items); a change with a lower version than the row's is dropped, so retries are harmless. */
@Component
public class RunItemActivitiesImpl implements RunItemActivities {
  private final JdbcClient jdbc;

  RunItemActivitiesImpl(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public void item(RunItemChange change) {
    jdbc.sql("""
            insert into run_items (run_id, item, seq, state, target, child_run, detail, version, at)
            values (:run, :item, :seq, :state, :target, :child, :detail, :version, :at)
            on conflict (run_id, item) do update set state = excluded.state, target = excluded.target,
                child_run = excluded.child_run, detail = excluded.detail, version = excluded.version,
                at = excluded.at
            where run_items.version < excluded.version""")
        .param("run", change.runId()).param("item", change.item()).param("seq", change.seq())
        .param("state", change.state()).param("target", change.target()).param("child", change.childRun())
        .param("detail", change.detail()).param("version", change.version()).param("at", Timestamp.from(Instant.ofEpochMilli(change.atMillis())))
        .update();
  }
}
