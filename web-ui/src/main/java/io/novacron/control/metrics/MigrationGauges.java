package io.novacron.control.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.novacron.workflows.migrate.MigrateVmWorkflow;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * {@code novacron_migrations_over_timeout}: MigrateVm runs still running past their
 * {@link MigrationDeadline}. The clock starts when the run first entered RUNNING (after any wait for
 * a migration slot), falling back to its start; runs waiting for an operator (ATTENTION) are
 * counted by {@code novacron_runs{state="attention"}} instead.
 */
@Component
class MigrationGauges implements MeterBinder {
  private final JdbcClient jdbc;
  private final Clock clock;

  MigrationGauges(JdbcClient jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    Gauge.builder("novacron.migrations.over.timeout", this::count)
        .description("Running migrations older than the completion timeout of their data, twice, plus 5 minutes")
        .register(registry);
  }

  long count() {
    Instant now = clock.instant();
    return jdbc.sql("""
            select r.input, v.memory_mib, v.disk_gib,
                coalesce((select min(e.at) from run_events e where e.run_id = r.id and e.state = 'RUNNING'),
                    r.started_at) as moving_since
            from runs r left join vms v on v.name = r.subject
            where r.type = :type and r.state = 'RUNNING'""")
        .param("type", MigrateVmWorkflow.TYPE)
        .query((rs, i) -> Duration.between(rs.getTimestamp("moving_since").toInstant(), now)
            .compareTo(MigrationDeadline.of(rs.getString("input"), rs.getLong("memory_mib"), rs.getLong("disk_gib"))) > 0)
        .list().stream().filter(over -> over).count();
  }
}
