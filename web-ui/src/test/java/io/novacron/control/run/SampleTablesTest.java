package io.novacron.control.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.novacron.control.ControlPlaneTest;
import io.novacron.control.node.CapacitySamples;
import io.novacron.control.ui.Downsample;
import io.novacron.workflows.migrate.MigrationProgress;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The sample tables (V12__samples.sql) on the real schema. The context is shared and its samplers
 * run, so each test uses its own run id or node name and counts only those rows.
 */
class SampleTablesTest extends ControlPlaneTest {
  private static final long MIB = 1L << 20;
  @Autowired MigrationSamples migrations;
  @Autowired CapacitySamples capacity;
  @Autowired JdbcClient jdbc;

  @Test
  void aHeartbeatStoredTwiceIsOneSampleAndTheSeriesComesBackInOrder() {
    String run = newRun();
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    MigrationProgress second = sample(2_000, 200 * MIB);
    MigrationProgress first = sample(1_000, 100 * MIB);

    assertThat(migrations.record(run, second, now)).isTrue();
    assertThat(migrations.record(run, second, now.plusMillis(500))).as("another replica's read of it").isFalse();
    assertThat(migrations.record(run, first, now.minusSeconds(1))).isTrue();

    assertThat(migrations.series(run)).extracting(MigrationProgress::elapsedMs).containsExactly(1_000L, 2_000L);
    MigrationProgress read = migrations.series(run).get(1);
    assertThat(read.processedBytes() + read.remainingBytes()).as("progress adds up").isEqualTo(read.totalBytes());
    assertThat(read.dirtyRateBytesPerSec()).isEqualTo(4 * MIB);
  }

  @Test
  void aLongTransferIsThinnedForTheChart() {
    String run = newRun();
    Instant start = Instant.now().minusSeconds(3600);
    for (int i = 0; i < 700; i++) {
      migrations.record(run, sample(i * 2_000L, i * MIB), start.plusSeconds(2L * i));
    }
    assertThat(migrations.series(run)).hasSize(Downsample.MAX_POINTS)
        .first().extracting(MigrationProgress::elapsedMs).isEqualTo(0L);
    assertThat(migrations.series(run).get(Downsample.MAX_POINTS - 1).elapsedMs()).isEqualTo(699 * 2_000L);
  }

  @Test
  void retentionDeletesOnlyOlderSamples() {
    String run = newRun();
    Instant now = Instant.now();
    migrations.record(run, sample(1_000, MIB), now.minusSeconds(7200));
    migrations.record(run, sample(2_000, MIB), now.minusSeconds(60));
    String node = "sample-node-" + UUID.randomUUID();
    capacity.record(new CapacitySamples.Sample(node, now.minusSeconds(7200), 1, 4, 512, 4096, 10, 100, 1));
    capacity.record(new CapacitySamples.Sample(node, now.minusSeconds(60), 2, 4, 1024, 4096, 10, 100, 2));

    assertThat(migrations.deleteBefore(now.minusSeconds(3600))).isGreaterThanOrEqualTo(1);
    assertThat(capacity.deleteBefore(now.minusSeconds(3600))).isGreaterThanOrEqualTo(1);

    assertThat(migrations.series(run)).extracting(MigrationProgress::elapsedMs).containsExactly(2_000L);
    assertThat(capacity.since(node, now.minusSeconds(86_400))).extracting(CapacitySamples.Sample::vms).containsExactly(2L);
  }

  @Test
  void oneNodeSamplePerTickHoweverManyReplicasWrite() {
    String node = "sample-node-" + UUID.randomUUID();
    Instant tick = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(30);
    CapacitySamples.Sample sample = new CapacitySamples.Sample(node, tick, 2, 8, 2048, 8192, 30, 200, 1);

    assertThat(capacity.record(sample)).isTrue();
    assertThat(capacity.record(new CapacitySamples.Sample(node, tick, 3, 8, 4096, 8192, 30, 200, 2))).isFalse();

    assertThat(capacity.since(node, tick.minusSeconds(1))).containsExactly(sample);
    assertThat(capacity.since(node, tick.plusSeconds(1))).as("only samples since the window's start").isEmpty();
  }

  private static MigrationProgress sample(long elapsedMs, long processed) {
    return new MigrationProgress(elapsedMs, processed, 64 * MIB, processed + 64 * MIB, 4 * MIB, 1, 100, 1, false, false);
  }

  /** A recorded MigrateVm run for the samples' foreign key. */
  private String newRun() {
    String id = "sample-run-" + UUID.randomUUID();
    Timestamp now = Timestamp.from(Instant.now());
    jdbc.sql("insert into runs (id, type, subject, state, phase, started_at, updated_at)"
            + " values (:id, 'MigrateVm', 'vm-x', 'SUCCEEDED', 'done', :now, :now)")
        .param("id", id).param("now", now).update();
    return id;
  }
}
