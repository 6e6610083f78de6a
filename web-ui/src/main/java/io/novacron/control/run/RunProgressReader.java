package io.novacron.control.run;

import io.novacron.control.migrate.MigrationProgressReader;
import io.novacron.workflows.migrate.MigrateVmWorkflow;
import java.util.Optional;
import org.springframework.stereotype.Service;

/**
 * Reads a run's live byte progress ({@link RunProgress}) for the REST API and the dashboard. A
 * migration in its {@code transfer} phase reports bytes: a live one through its monitor's heartbeat
 * ({@code Migration.MigrateLive}), a cold or warm one through its streams' ({@code Transfer.Send},
 * summed). Any other run has none, and costs no call to Temporal.
 */
@Service
public class RunProgressReader {
  /** The phase in which a MigrateVm run copies the guest. */
  static final String TRANSFER_PHASE = "transfer";

  private final MigrationProgressReader migrations;

  RunProgressReader(MigrationProgressReader migrations) {
    this.migrations = migrations;
  }

  /**
   * The run's progress now; empty when the run reports no byte progress (not a running migration in
   * its transfer phase, or no sample sent yet).
   */
  public Optional<RunProgress> of(RunRow run) {
    if (!mayReportBytes(run)) {
      return Optional.empty();
    }
    return migrations.latestSample(run.id())
        .map(sample -> RunProgress.of(run.phase(), sample.progress(), sample.at()))
        .or(() -> migrations.latestTransfers(run.id())
            .map(streams -> RunProgress.ofTransfers(run.phase(), streams.sends(), streams.at())));
  }

  /** Whether the record says the run may have byte progress to read (so a list asks only about those). */
  static boolean mayReportBytes(RunRow run) {
    return "RUNNING".equals(run.state()) && MigrateVmWorkflow.TYPE.equals(run.type())
        && TRANSFER_PHASE.equals(run.phase());
  }
}
