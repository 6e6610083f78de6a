package io.novacron.control.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.novacron.workflows.migrate.MigrationProgress;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The run page's transfer section, without a browser: bar and text come from one progress record. */
class TransferProgressTest {
  private static final Instant AT = Instant.parse("2026-12-06T05:00:00Z");
  private static final long MIB = 1L << 20;
  private static final long GIB = 1L << 30;

  @Test
  void theBarAndTheTextShowTheSameRecord() {
    MigrationProgress sample = new MigrationProgress(5000, GIB, 3 * GIB, 4 * GIB, 0, 1, 100, 31, false, false);
    RunProgress progress = RunProgress.of("transfer", sample, AT);
    TransferProgress section = new TransferProgress();

    section.show(progress, sample);

    assertThat(section.isVisible()).isTrue();
    assertThat(section.barValue()).isEqualTo(0.25);
    assertThat(section.figuresText()).isEqualTo("1 GiB of 4 GiB (25 %) · 100 MiB/s · ETA 31 s");
  }

  @Test
  void aMigrationThatDoesNotConvergeHasNoEta() {
    // 50 MiB/s sent, 80 MiB/s re-dirtied: the remaining bytes grow.
    RunProgress progress = RunProgress.of("transfer", 3 * GIB / 2, GIB / 2, 50 * MIB, 80 * MIB, false, false, AT);

    assertThat(TransferProgress.figures(progress))
        .isEqualTo("1.5 GiB of 2 GiB (75 %) · 50 MiB/s · ETA unknown (not converging)");
  }

  @Test
  void aFractionalPercentKeepsItsDecimal() {
    RunProgress progress = RunProgress.of("transfer", 2 * MIB, MIB, MIB, 0, false, false, AT);

    assertThat(TransferProgress.figures(progress)).isEqualTo("2 MiB of 3 MiB (66.6 %) · 1 MiB/s · ETA 1 s");
  }
}
