package io.novacron.control.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.novacron.workflows.migrate.MigrationProgress;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RunProgressTest {
  private static final Instant AT = Instant.parse("2026-12-06T05:00:00Z");
  private static final long MIB = 1L << 20;

  @Test
  void processedAndRemainingAlwaysAddUpToTheTotal() {
    long[][] samples = {{0, 0}, {10, 90}, {300, 0}, {-5, 40}, {7, -1}, {Long.MAX_VALUE - 3, 10}};
    for (long[] sample : samples) {
      RunProgress p = RunProgress.of("transfer", sample[0], sample[1], MIB, 0, false, false, AT);
      assertThat(p.bytesProcessed() + p.bytesRemaining()).as("sample %s", (Object) sample).isEqualTo(p.bytesTotal());
      assertThat(p.bytesProcessed()).isNotNegative();
      assertThat(p.bytesRemaining()).isNotNegative();
      assertThat(p.percent()).isBetween(0.0, 100.0);
    }
  }

  @Test
  void percentIsTheProcessedShareFlooredToOneDecimal() {
    assertThat(RunProgress.of("transfer", 25, 75, MIB, 0, false, false, AT).percent()).isEqualTo(25.0);
    assertThat(RunProgress.of("transfer", 2, 1, MIB, 0, false, false, AT).percent()).isEqualTo(66.6);
    assertThat(RunProgress.of("transfer", 9999, 1, MIB, 0, false, false, AT).percent())
        .as("never rounded up to 100 while bytes remain").isEqualTo(99.9);
    assertThat(RunProgress.of("transfer", 10, 0, MIB, 0, false, false, AT).percent()).isEqualTo(100.0);
    assertThat(RunProgress.of("transfer", 0, 0, 0, 0, false, false, AT).percent()).as("nothing known yet").isZero();
  }

  @Test
  void etaIsTheRemainingBytesOverThroughputNetOfTheDirtyRateRoundedUp() {
    RunProgress plain = RunProgress.of("transfer", 0, 100 * MIB, 10 * MIB, 0, false, false, AT);
    assertThat(plain.etaSeconds()).isEqualTo(10L);
    assertThat(plain.converging()).isTrue();
    RunProgress dirtying = RunProgress.of("transfer", 0, 100 * MIB, 10 * MIB, 6 * MIB, false, false, AT);
    assertThat(dirtying.etaSeconds()).as("100 MiB at a net 4 MiB/s").isEqualTo(25L);
    assertThat(RunProgress.of("transfer", 0, 101, 10, 0, false, false, AT).etaSeconds()).isEqualTo(11L);
  }

  @Test
  void etaIsAbsentWhenTheMigrationDoesNotConverge() {
    RunProgress outrun = RunProgress.of("transfer", 50 * MIB, 100 * MIB, 10 * MIB, 12 * MIB, false, false, AT);
    assertThat(outrun.converging()).as("the guest dirties faster than we send").isFalse();
    assertThat(outrun.etaSeconds()).isNull();
    RunProgress even = RunProgress.of("transfer", 50 * MIB, 100 * MIB, 10 * MIB, 10 * MIB, false, false, AT);
    assertThat(even.converging()).isFalse();
    assertThat(even.etaSeconds()).isNull();
    RunProgress stalled = RunProgress.of("transfer", 50 * MIB, 100 * MIB, 10 * MIB, 0, true, false, AT);
    assertThat(stalled.converging()).isFalse();
    assertThat(stalled.etaSeconds()).isNull();
  }

  @Test
  void etaIsAbsentWhileNothingIsSent() {
    RunProgress idle = RunProgress.of("transfer", 0, 100 * MIB, 0, 0, false, false, AT);
    assertThat(idle.bytesPerSecond()).isZero();
    assertThat(idle.converging()).isFalse();
    assertThat(idle.etaSeconds()).isNull();
    assertThat(RunProgress.of("transfer", 0, 100, -3, 0, false, false, AT).bytesPerSecond()).isZero();
  }

  @Test
  void aPausedGuestDirtiesNothingSoItsMigrationConverges() {
    RunProgress forced = RunProgress.of("transfer", 50 * MIB, 100 * MIB, 10 * MIB, 12 * MIB, false, true, AT);
    assertThat(forced.converging()).isTrue();
    assertThat(forced.etaSeconds()).isEqualTo(10L);
  }

  @Test
  void nothingRemainingIsConvergedWithNoTimeLeft() {
    RunProgress done = RunProgress.of("transfer", 100, 0, 0, 5, true, false, AT);
    assertThat(done.converging()).isTrue();
    assertThat(done.etaSeconds()).isZero();
  }

  @Test
  void aMonitorSampleIsReadInBytesPerSecond() {
    MigrationProgress sample = new MigrationProgress(900, 8 * MIB, 252 * MIB, 260 * MIB, 4 * MIB, 1, 25.0, 9,
        false, false);
    RunProgress p = RunProgress.of("transfer", sample, AT);
    assertThat(p.phase()).isEqualTo("transfer");
    assertThat(p.at()).isEqualTo(AT);
    assertThat(p.bytesPerSecond()).isEqualTo(25 * MIB);
    assertThat(p.bytesTotal()).isEqualTo(260 * MIB);
    assertThat(p.percent()).isEqualTo(3.0);
    assertThat(p.etaSeconds()).as("252 MiB at a net 21 MiB/s").isEqualTo(12L);
  }

  @Test
  void theFractionFeedsAProgressBar() {
    assertThat(RunProgress.of("transfer", 1, 3, 1, 0, false, false, AT).fraction()).isEqualTo(0.25);
  }

  @Test
  void aColdMovesStreamsAreSummedAsOneCopyThatConverges() {
    var disk = new io.novacron.workflows.transfer.TransferProgress("d", 1, "streaming", 100 * MIB, 40 * MIB,
        30 * MIB, 100, 40, 1.3, 10.0 * MIB, 6, "lz4");
    var state = new io.novacron.workflows.transfer.TransferProgress("s", 1, "streaming", 20 * MIB, 20 * MIB,
        20 * MIB, 20, 20, 1.0, 2.0 * MIB, 0, "none");
    RunProgress progress = RunProgress.ofTransfers("transfer", java.util.List.of(disk, state), AT);
    assertThat(progress.bytesProcessed()).isEqualTo(60 * MIB);
    assertThat(progress.bytesRemaining()).isEqualTo(60 * MIB);
    assertThat(progress.bytesTotal()).isEqualTo(120 * MIB);
    assertThat(progress.percent()).isEqualTo(50.0);
    assertThat(progress.bytesPerSecond()).isEqualTo(12 * MIB);
    assertThat(progress.etaSeconds()).isEqualTo(5L);
    assertThat(progress.converging()).isTrue();
    assertThat(progress.at()).isEqualTo(AT);
  }

  @Test
  void aStreamStillConnectingCountsItsWholeFileAsRemaining() {
    var connecting = new io.novacron.workflows.transfer.TransferProgress("d", 1, "connecting", 8 * MIB, 0, 0, 8, 0,
        0, 0, -1, "lz4");
    RunProgress progress = RunProgress.ofTransfers("transfer", java.util.List.of(connecting), AT);
    assertThat(progress.bytesRemaining()).isEqualTo(8 * MIB);
    assertThat(progress.etaSeconds()).as("no throughput yet: unknown").isNull();
    assertThat(progress.converging()).isFalse();
  }
}
