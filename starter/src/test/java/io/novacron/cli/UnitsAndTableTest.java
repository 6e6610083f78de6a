package io.novacron.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Human units and the aligned table. */
class UnitsAndTableTest {
  @Test
  void sizesUseBinaryUnits() {
    assertThat(Units.mib(512)).isEqualTo("512 MiB");
    assertThat(Units.mib(1024)).isEqualTo("1 GiB");
    assertThat(Units.mib(1536)).isEqualTo("1.5 GiB");
    assertThat(Units.gib(4)).isEqualTo("4 GiB");
    assertThat(Units.gib(2048)).isEqualTo("2 TiB");
    assertThat(Units.bytes(0)).isEqualTo("0 B");
    assertThat(Units.bytes(1023)).isEqualTo("1023 B");
    assertThat(Units.bytes(1288490189L)).isEqualTo("1.2 GiB");
    assertThat(Units.rate(117440512)).isEqualTo("112 MiB/s");
  }

  @Test
  void durationsUseSecondsMinutesAndHours() {
    assertThat(Units.seconds(42)).isEqualTo("42s");
    assertThat(Units.seconds(119)).isEqualTo("119s");
    assertThat(Units.seconds(210)).isEqualTo("3.5 min");
    assertThat(Units.seconds(7560)).isEqualTo("2.1 h");
    assertThat(Units.percent(37.9)).isEqualTo("37%");
    assertThat(Units.percent(2.24)).isEqualTo("2.2%");
  }

  @Test
  void aTableAlignsEveryColumnToItsWidestCell() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    new Table(List.of("NAME", "STATE", "MEMORY"))
        .row(List.of("web1", "running", "512 MiB"))
        .row(Arrays.asList("database-01", null, "16 GiB"))
        .print(new PrintStream(bytes, true));
    assertThat(bytes.toString(StandardCharsets.UTF_8).split(System.lineSeparator())).containsExactly(
        "NAME         STATE    MEMORY",
        "web1         running  512 MiB",
        "database-01  -        16 GiB");
    assertThatThrownBy(() -> new Table(List.of("A")).row(List.of("1", "2"))).isInstanceOf(IllegalArgumentException.class);
  }
}
