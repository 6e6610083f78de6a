package io.novacron.control.run;

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
 * {@code novacron_migration_downtime_seconds{mode,outcome}}: the guest's pause at switch-over, as
 * the MigrateVm result reports it (libvirt's measure). The result exists only once the workflow has
 * returned, after its last run record, so it is read from Temporal asynchronously; a migration that
 * failed or was cancelled has no result and no downtime sample, and neither has one whose downtime
 * libvirt did not report ({@code downtimeMs} -1).
 */
@Component
class MigrationDowntimes {
  private static final Logger log = LoggerFactory.getLogger(MigrationDowntimes.class);
  private final WorkflowClient temporal;
  private final MeterRegistry meters;

  MigrationDowntimes(WorkflowClient temporal, MeterRegistry meters) {
    this.temporal = temporal;
    this.meters = meters;
  }

  /** Records the downtime of migration run {@code runId} once its result is there. */
  void measure(String runId, String mode, String outcome) {
    temporal.newUntypedWorkflowStub(runId, Optional.empty(), Optional.of(MigrateVmWorkflow.TYPE))
        .getResultAsync(MigrateVmResult.class)
        .thenAccept(result -> record(result, mode, outcome))
        .exceptionally(e -> {
          log.warn("no downtime for migration run {}: {}", runId, e.getMessage());
          return null;
        });
  }

  /** Records one migration's downtime; a result without one (-1) is left out. */
  void record(MigrateVmResult result, String mode, String outcome) {
    if (result == null || result.downtimeMs() < 0) {
      return;
    }
    Timer.builder("novacron.migration.downtime")
        .description("Guest pause at switch-over of completed migrations, as libvirt measured it")
        .tags("mode", mode, "outcome", outcome)
        .register(meters)
        .record(Duration.ofMillis(result.downtimeMs()));
  }
}
