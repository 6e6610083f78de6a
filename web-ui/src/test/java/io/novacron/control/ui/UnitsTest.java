package io.novacron.control.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class UnitsTest {
  @Test
  void bytesReadInTheLargestBinaryUnitWithOneDecimalAtMost() {
    assertThat(Units.bytes(0)).isEqualTo("0 B");
    assertThat(Units.bytes(512)).isEqualTo("512 B");
    assertThat(Units.bytes(1023)).isEqualTo("1023 B");
    assertThat(Units.bytes(1024)).isEqualTo("1 KiB");
    assertThat(Units.bytes(134_217_728)).isEqualTo("128 MiB");
    assertThat(Units.bytes(1_610_612_736)).isEqualTo("1.5 GiB");
    assertThat(Units.bytes(1_234_567)).isEqualTo("1.2 MiB");
  }

  @Test
  void aValueThatRoundsUpToTheNextUnitIsSaidInThatUnit() {
    assertThat(Units.bytes(1024L * 1024 - 1)).isEqualTo("1 MiB");
    assertThat(Units.bytes(Long.MAX_VALUE)).isEqualTo("8 EiB");
  }

  @Test
  void unknownFiguresSaySo() {
    assertThat(Units.bytes(-1)).isEqualTo("unknown");
    assertThat(Units.rate(-1)).isEqualTo("unknown");
    assertThat(Units.duration(-1)).isEqualTo("unknown");
    assertThat(Units.instant(null)).isEqualTo("-");
  }

  @Test
  void inventoryUnitsReadLikeBytes() {
    assertThat(Units.mebibytes(2048)).isEqualTo("2 GiB");
    assertThat(Units.mebibytes(81_559)).isEqualTo("79.6 GiB");
    assertThat(Units.gibibytes(0.5)).isEqualTo("512 MiB");
    assertThat(Units.gibibytes(20)).isEqualTo("20 GiB");
  }

  @Test
  void ratesArePerSecond() {
    assertThat(Units.rate(12L * 1024 * 1024 + 512 * 1024)).isEqualTo("12.5 MiB/s");
  }

  @Test
  void durationsUseTheirTwoLargestUnits() {
    assertThat(Units.duration(0)).isEqualTo("0 s");
    assertThat(Units.duration(45)).isEqualTo("45 s");
    assertThat(Units.duration(72)).isEqualTo("1 min 12 s");
    assertThat(Units.duration(7500)).isEqualTo("2 h 5 min");
    assertThat(Units.duration(273_600)).isEqualTo("3 d 4 h");
  }

  @Test
  void instantsAreFullUtcTimesToTheSecond() {
    assertThat(Units.instant(Instant.parse("2026-12-06T04:31:08.987Z"))).isEqualTo("2026-12-06 04:31:08 UTC");
  }

  @Test
  void rawByteCountsInAMessageAreReworded() {
    assertThat(Units.inText("transfer: 268435456 B memory + 1073741824 B disk"))
        .isEqualTo("transfer: 256 MiB memory + 1 GiB disk");
    assertThat(Units.inText("copied 512 B, 1023 B left on disk B2")).as("counts under 1 KiB and other words stay")
        .isEqualTo("copied 512 B, 1023 B left on disk B2");
    assertThat(Units.inText(null)).isNull();
  }
}
