package io.novacron.control.run;

import io.novacron.control.migrate.MigrationProgressReader;
import io.novacron.workflows.migrate.MigrateVmWorkflow;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Copies each migration's latest heartbeat into {@link MigrationSamples}, so its chart shows the
 * whole transfer to a page opened late or after the run (Temporal keeps only the latest one).
 * Samples only runs {@link RunProgressReader#mayReportBytes} names: a running MigrateVm in its
 * transfer phase.
 */
@Component
class MigrationSampler {
  private static final Logger log = LoggerFactory.getLogger(MigrationSampler.class);
  private final RunRepository runs;
  private final MigrationProgressReader heartbeats;
  private final MigrationSamples samples;
  private final Clock clock;
  private final Duration retention;

  MigrationSampler(RunRepository runs, MigrationProgressReader heartbeats, MigrationSamples samples, Clock clock,
      @Value("${novacron.samples.retention:7d}") Duration retention) {
    this.runs = runs;
    this.heartbeats = heartbeats;
    this.samples = samples;
    this.clock = clock;
    this.retention = retention;
  }

  /** One round: every migration in transfer. A failing read skips that run until the next round. */
  @Scheduled(fixedDelayString = "${novacron.samples.migration-interval-millis:2000}")
  void sample() {
    for (RunRow run : runs.findMatching(MigrateVmWorkflow.TYPE, "RUNNING", null, 1000, 0)) {
      if (!RunProgressReader.mayReportBytes(run)) {
        continue;
      }
      try {
        heartbeats.latestSample(run.id()).ifPresent(s -> samples.record(run.id(), s.progress(), s.at()));
      } catch (RuntimeException e) {
        log.warn("could not sample migration {}: {}", run.id(), e.toString());
      }
    }
  }

  /** Bounds the table: samples older than {@code novacron.samples.retention} go. */
  @Scheduled(fixedDelayString = "${novacron.samples.prune-interval-millis:3600000}", initialDelay = 60_000)
  void prune() {
    samples.deleteBefore(clock.instant().minus(retention));
  }
}
