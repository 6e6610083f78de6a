package io.novacron.control.migrate;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.novacron.workflows.migrate.MigrateVmResult;
import io.novacron.workflows.migrate.MigrateVmWorkflow;
import io.novacron.workflows.migrate.MigrationMode;
import io.temporal.client.WorkflowClient;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * What a completed migration's result says, as metrics: {@code
 * novacron_migration_downtime_seconds{mode,outcome}} (the guest's pause at switch-over, libvirt's
 * measure), {@code novacron_migration_processed_bytes_total{mode}} (memory and disk the move
 * processed, uncompressed) and {@code novacron_migration_wire_bytes_total{mode}} (what the transfer
 * engine put on the wire: warm, cold, live's disk pre-copy). The result exists only once the
 * workflow has returned, after its last run record, so it is read from Temporal asynchronously; a
 * migration that failed or was cancelled has no result and no sample, and a figure the result
 * leaves at -1 is left out.
 */
@Component
public class MigrationResults {
  private static final Logger log = LoggerFactory.getLogger(MigrationResults.class);
  /**
   * A live switch-over pauses the guest for tens of milliseconds (libvirt's default allowance is
   * 300 ms); a warm or cold move, or a forced completion, for seconds: 10 ms .. 10 s.
   */
  static final Duration[] DOWNTIME_BUCKETS = {
      Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
      Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500),
      Duration.ofSeconds(5), Duration.ofSeconds(10)};
  private final WorkflowClient temporal;
  private final MeterRegistry meters;

  public MigrationResults(WorkflowClient temporal, MeterRegistry meters) {
    this.temporal = temporal;
    this.meters = meters;
    // Registered at zero for every mode, so that the downtime p95 panel and its alerts find the
    // series before the first migration completes.
    for (MigrationMode mode : MigrationMode.values()) {
      downtime(mode.name().toLowerCase(java.util.Locale.ROOT), "succeeded");
    }
  }

  /** Records the result of migration run {@code runId} once it is there. */
  public void measure(String runId, String mode, String outcome) {
    temporal.newUntypedWorkflowStub(runId, Optional.empty(), Optional.of(MigrateVmWorkflow.TYPE))
        .getResultAsync(MigrateVmResult.class)
        .thenAccept(result -> record(result, mode, outcome))
        .exceptionally(e -> {
          log.warn("no result metrics for migration run {}: {}", runId, e.getMessage());
          return null;
        });
  }

  /** Records one migration's result; figures it leaves at -1 are left out. */
  void record(MigrateVmResult result, String mode, String outcome) {
    if (result == null) {
      return;
    }
    if (result.bytesProcessed() >= 0) {
      Counter.builder("novacron.migration.processed").baseUnit("bytes")
          .description("Memory and disk bytes completed migrations processed, uncompressed, by mode")
          .tag("mode", mode).register(meters).increment(result.bytesProcessed());
    }
    if (result.bytesOnWire() >= 0) {
      Counter.builder("novacron.migration.wire").baseUnit("bytes")
          .description("Bytes the transfer engine put on the wire for completed migrations, by mode")
          .tag("mode", mode).register(meters).increment(result.bytesOnWire());
    }
    if (result.downtimeMs() < 0) {
      return;
    }
    downtime(mode, outcome).record(Duration.ofMillis(result.downtimeMs()));
  }

  private Timer downtime(String mode, String outcome) {
    return Timer.builder("novacron.migration.downtime")
        .description("Guest pause at switch-over of completed migrations, as libvirt measured it")
        .tags("mode", mode, "outcome", outcome)
        .serviceLevelObjectives(DOWNTIME_BUCKETS)
        .register(meters);
  }
}
