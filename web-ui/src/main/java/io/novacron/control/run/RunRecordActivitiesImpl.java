package io.novacron.control.run;

import io.novacron.control.metrics.OperationMetrics;
import io.novacron.control.metrics.Operations;
import io.novacron.control.migrate.MigrationResults;

import io.novacron.workflows.run.RunPhaseChange;
import io.novacron.workflows.run.RunRecordActivities;
import io.novacron.workflows.run.RunStarted;
import io.novacron.workflows.run.RunState;
import io.novacron.workflows.migrate.MigrateVmWorkflow;
import io.novacron.workflows.model.deploy.DeployModelWorkflow;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Writes run records. Idempotent: workflow time stamps each change, so a retried local activity
 * finds its event already there and changes nothing.
 */
@Component
public class RunRecordActivitiesImpl implements RunRecordActivities {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** The phase DeployModel enters once every node serves; the model's load time ends there. */
  static final String SERVING_PHASE = "serving";
  /**
   * Model loads take from tens of seconds (a small model from a local cache) to about an hour
   * (hundreds of GB fetched, sharded and loaded on several nodes): 5 s .. 1 h.
   */
  static final Duration[] MODEL_LOAD_BUCKETS = {
      Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofMinutes(1),
      Duration.ofMinutes(2), Duration.ofMinutes(5), Duration.ofMinutes(10), Duration.ofMinutes(20),
      Duration.ofMinutes(30), Duration.ofHours(1)};

  private final JdbcClient jdbc;
  private final MeterRegistry meters;
  private final MigrationResults migrationResults;
  private final OperationMetrics operations;

  RunRecordActivitiesImpl(JdbcClient jdbc, MeterRegistry meters, MigrationResults migrationResults,
      OperationMetrics operations) {
    this.jdbc = jdbc;
    this.meters = meters;
    this.migrationResults = migrationResults;
    this.operations = operations;
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
    if (change.state() == RunState.RUNNING && SERVING_PHASE.equals(change.phase())) {
      // Measured once, as the counters below: a retried record returned above.
      ended(change).filter(run -> DeployModelWorkflow.TYPE.equals(run.type()))
          .ifPresent(run -> Timer.builder("novacron.model.load")
              .description("From a DeployModel run's start until every node serves the model")
              .tags("runtime", servingRuntime(run.input()))
              .serviceLevelObjectives(MODEL_LOAD_BUCKETS)
              .register(meters)
              .record(Duration.between(run.startedAt(), Instant.ofEpochMilli(change.atMillis()))));
    }
    if (change.state().isTerminal()) {
      // Counted once: a retried record found its event already there and returned above.
      ended(change).ifPresentOrElse(run -> count(run, change),
          () -> count(new Ended("unknown", null, Instant.ofEpochMilli(change.atMillis())), change));
    }
  }

  /** The record's type, input and start, for the metrics. */
  private java.util.Optional<Ended> ended(RunPhaseChange change) {
    return jdbc.sql("select type, input, started_at from runs where id = :id").param("id", change.runId())
        .query((rs, i) -> new Ended(rs.getString(1), rs.getString(2), rs.getTimestamp(3).toInstant()))
        .optional();
  }

  /** What the metrics need of an ended run's record. */
  private record Ended(String type, String input, Instant startedAt) {}

  /**
   * {@code novacron_vm_operations_total{operation,outcome}} and {@code
   * novacron_operation_duration_seconds{operation,outcome}}; by run type, {@code
   * novacron_runs_finished_total{type,state}} and {@code novacron_run_duration_seconds{type,state}};
   * for migrations also {@code novacron_migration_duration_seconds{mode,outcome}} and, for those that
   * completed, {@code novacron_migration_downtime_seconds{mode,outcome}}.
   */
  private void count(Ended run, RunPhaseChange change) {
    String state = Operations.outcome(change.state());
    Duration took = Duration.between(run.startedAt(), Instant.ofEpochMilli(change.atMillis()));
    operations.ended(Operations.of(run.type(), run.input()), state, took);
    Counter.builder("novacron.runs.finished")
        .description("Runs that ended, by run type and end state")
        .tags("type", run.type(), "state", state)
        .register(meters).increment();
    Timer.builder("novacron.run.duration")
        .description("From a run's start to its end, by run type and end state")
        .tags("type", run.type(), "state", state)
        .serviceLevelObjectives(OperationMetrics.RUN_BUCKETS)
        .register(meters).record(took);
    if (MigrateVmWorkflow.TYPE.equals(run.type())) {
      String mode = migrationMode(run.input());
      Timer.builder("novacron.migration.duration")
          .description("From a MigrateVm run's start (queueing for a slot included) to its end, by mode and outcome")
          .tags("mode", mode, "outcome", state)
          .serviceLevelObjectives(OperationMetrics.RUN_BUCKETS)
          .register(meters).record(took);
      if (change.state() == RunState.SUCCEEDED) {
        migrationResults.measure(change.runId(), mode, state);
      }
    }
  }

  /** The serving runtime a DeployModel run was asked for, lower case ({@code vllm} by default). */
  static String servingRuntime(String inputJson) {
    try {
      JsonNode runtime = inputJson == null ? null : JSON.readTree(inputJson).path("serving").get("runtime");
      return runtime == null || runtime.isNull() ? "vllm" : runtime.asText().toLowerCase(Locale.ROOT);
    } catch (JsonProcessingException e) {
      return "unknown";
    }
  }

  /** The mode a MigrateVm run was asked for ({@code live} when the input leaves it out). */
  static String migrationMode(String inputJson) {
    try {
      JsonNode mode = inputJson == null ? null : JSON.readTree(inputJson).get("mode");
      return mode == null || mode.isNull() ? "live" : mode.asText().toLowerCase(Locale.ROOT);
    } catch (JsonProcessingException e) {
      return "unknown";
    }
  }
}
