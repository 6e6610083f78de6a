package io.novacron.control.run;

import io.novacron.control.ui.Downsample;
import io.novacron.workflows.migrate.MigrationProgress;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The stored heartbeats of migrations (table {@code migration_samples}, V12__samples.sql). */
@Repository
public class MigrationSamples {
  private static final double MIB = 1024.0 * 1024.0;
  private final JdbcClient jdbc;

  MigrationSamples(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * Stores one heartbeat of run {@code runId}, read {@code at}. The same heartbeat stored again (a
   * second read before the next one, another replica) changes nothing.
   *
   * @return whether a row was written
   */
  public boolean record(String runId, MigrationProgress sample, Instant at) {
    RunProgress figures = RunProgress.of(RunProgressReader.TRANSFER_PHASE, sample, at);
    return jdbc.sql("""
            insert into migration_samples (run_id, elapsed_ms, at, bytes_processed, bytes_remaining, bytes_total,
                bytes_per_second, dirty_rate, iteration, stalled, forced)
            values (:run, :elapsed, :at, :processed, :remaining, :total, :rate, :dirty, :iteration, :stalled, :forced)
            on conflict (run_id, elapsed_ms) do nothing""")
        .param("run", runId).param("elapsed", sample.elapsedMs()).param("at", Timestamp.from(at))
        .param("processed", figures.bytesProcessed()).param("remaining", figures.bytesRemaining())
        .param("total", figures.bytesTotal()).param("rate", figures.bytesPerSecond())
        .param("dirty", Math.max(0, sample.dirtyRateBytesPerSec())).param("iteration", sample.iteration())
        .param("stalled", sample.stalled()).param("forced", sample.forced())
        .update() == 1;
  }

  /** Run {@code runId}'s samples, oldest first, thinned to at most {@link Downsample#MAX_POINTS}. */
  public List<MigrationProgress> series(String runId) {
    List<MigrationProgress> all = jdbc.sql("""
            select elapsed_ms, bytes_processed, bytes_remaining, bytes_total, dirty_rate, iteration,
                   bytes_per_second, stalled, forced
            from migration_samples where run_id = :run order by elapsed_ms""")
        .param("run", runId)
        .query((rs, i) -> new MigrationProgress(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4),
            rs.getLong(5), rs.getLong(6), rs.getLong(7) / MIB, -1, rs.getBoolean(8), rs.getBoolean(9)))
        .list();
    return Downsample.evenly(all, Downsample.MAX_POINTS);
  }

  /** Deletes the samples taken before {@code cutoff}; returns how many. */
  public int deleteBefore(Instant cutoff) {
    return jdbc.sql("delete from migration_samples where at < :cutoff").param("cutoff", Timestamp.from(cutoff)).update();
  }
}
