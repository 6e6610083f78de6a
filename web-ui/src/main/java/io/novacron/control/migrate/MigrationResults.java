package io.novacron.control.migrate;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.novacron.workflows.migrate.MigrateVmResult;
import io.novacron.workflows.migrate.MigrateVmWorkflow;
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
  private final WorkflowClient temporal;
  private final MeterRegistry meters;

  public MigrationResults(WorkflowClient temporal, MeterRegistry meters) {
    this.temporal = temporal;
    this.meters = meters;
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
      meters.counter("novacron.migration.processed.bytes", "mode", mode).increment(result.bytesProcessed());
    }
    if (result.bytesOnWire() >= 0) {
      meters.counter("novacron.migration.wire.bytes", "mode", mode).increment(result.bytesOnWire());
    }
    if (result.downtimeMs() < 0) {
      return;
    }
    Timer.builder("novacron.migration.downtime")
        .description("Guest pause at switch-over of completed migrations, as libvirt measured it")
        .tags("mode", mode, "outcome", outcome)
        .register(meters)
        .record(Duration.ofMillis(result.downtimeMs()));
  }
}
