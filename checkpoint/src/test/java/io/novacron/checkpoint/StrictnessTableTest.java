package io.novacron.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The strictness table of docs/model-planning.md, as a test: each hostile safetensors file is
 * written, ours must give the stated verdict with a clear message, and where the reference venv
 * exists (CI installs it) the reference library must give the verdict the table states, so the
 * table cannot rot. Ours is never more lenient: every file the reference refuses, we refuse.
 */
class StrictnessTableTest {
  @TempDir Path tmp;

  private static final String GOOD = "{\"a\":{\"dtype\":\"F16\",\"shape\":[1],\"data_offsets\":[0,2]}}";

  /** One row: the file's bytes, the reference's verdict, ours (null = accept, else a message part). */
  record Case(String name, byte[] file, boolean referenceAccepts, String ourRefusal) {}

  static List<Case> cases() {
    byte[] good = GOOD.getBytes(StandardCharsets.UTF_8);
    byte[] two = new byte[2];
    return List.of(
        new Case("well-formed", file(good, two), true, null),
        new Case("space padding after the JSON", file(concat(good, "   ".getBytes()), two), true, null),
        new Case("NUL padding after the JSON", file(concat(good, new byte[3]), two), false,
            "malformed header: not JSON"),
        new Case("trailing bytes after the JSON", file(concat(good, "xx".getBytes()), two), false,
            "malformed header: not JSON"),
        new Case("invalid UTF-8 in a metadata value", file(bytes(
            "{\"__metadata__\":{\"k\":\"", new byte[] {(byte) 0xff}, "\"},"
                + GOOD.substring(1)), two), false, "malformed header: invalid UTF-8"),
        new Case("invalid UTF-8 in a tensor name", file(bytes("{\"", new byte[] {(byte) 0xc3, 0x28},
            "\":{\"dtype\":\"F16\",\"shape\":[1],\"data_offsets\":[0,2]}}"), two), false,
            "malformed header: invalid UTF-8"),
        new Case("length field 100,000,001 (cap is 100,000,000)", withLength(100_000_001L, good, two),
            false, "over the 100000000-byte cap"),
        new Case("length field 2^63", withLength(Long.MIN_VALUE, good, two), false,
            "length field says 9223372036854775808 bytes"),
        new Case("length field past the end of the file", withLength(1000, good, two), false,
            "length field says 1000 bytes"),
        new Case("duplicate tensor name", file(("{\"a\":{\"dtype\":\"F16\",\"shape\":[1],\"data_offsets\":[0,2]},"
            + "\"a\":{\"dtype\":\"F16\",\"shape\":[1],\"data_offsets\":[0,2]}}").getBytes(), two), true,
            "Duplicate field 'a'"),
        new Case("bytes after the last tensor", file(good, new byte[4]), false,
            "2 bytes after the last tensor belong to no tensor"),
        new Case("metadata value not a string", file(("{\"__metadata__\":{\"k\":1},"
            + GOOD.substring(1)).getBytes(), two), false, "__metadata__ value of 'k' is not a string"),
        new Case("unknown dtype", file("{\"a\":{\"dtype\":\"F17\",\"shape\":[1],\"data_offsets\":[0,2]}}"
            .getBytes(), two), false, "unknown dtype 'F17'"),
        new Case("offsets disagree with the shape", file(
            "{\"a\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,2]}}".getBytes(), two), false,
            "needs 4"),
        new Case("shape overflows", file(("{\"a\":{\"dtype\":\"F16\",\"shape\":[4294967296,4294967296],"
            + "\"data_offsets\":[0,2]}}").getBytes(), two), false, "overflows"),
        new Case("header not an object", file("[]".getBytes(), new byte[0]), false,
            "not a JSON object"));
  }

  @Test
  void ours_gives_the_tabled_verdict_with_a_clear_message() throws IOException {
    for (Case c : cases()) {
      Path f = write(c);
      if (c.ourRefusal() == null) {
        assertThatCode(() -> SafetensorsHeaderReader.read(f)).as(c.name()).doesNotThrowAnyException();
      } else {
        assertThatThrownBy(() -> SafetensorsHeaderReader.read(f)).as(c.name())
            .isInstanceOf(CheckpointException.class)
            .hasMessageContaining(f.getFileName().toString())
            .hasMessageContaining(c.ourRefusal());
      }
    }
  }

  @Test
  void the_reference_gives_the_tabled_verdict_where_its_venv_exists() throws Exception {
    Optional<Path> python = ReferenceSafetensors.python();
    if (python.isEmpty()) {
      return; // .ci/run installs the venv (novacron install), so CI always takes the branch below
    }
    List<Path> files = new ArrayList<>();
    for (Case c : cases()) {
      files.add(write(c));
    }
    Map<Path, String> verdicts = ReferenceSafetensors.verdicts(python.get(), files);
    for (int i = 0; i < files.size(); i++) {
      Case c = cases().get(i);
      String verdict = verdicts.get(files.get(i));
      assertThat(verdict).as(c.name()).startsWith(c.referenceAccepts() ? "ACCEPT" : "REFUSE");
      // At least as strict: the reference refusing and us accepting is never a row.
      assertThat(c.referenceAccepts() || c.ourRefusal() != null).as(c.name()).isTrue();
    }
  }

  private Path write(Case c) throws IOException {
    Path f = tmp.resolve(c.name().replaceAll("[^A-Za-z0-9]+", "-") + ".safetensors");
    Files.write(f, c.file());
    return f;
  }

  static byte[] file(byte[] header, byte[] data) {
    return withLength(header.length, header, data);
  }

  static byte[] withLength(long length, byte[] header, byte[] data) {
    ByteBuffer b = ByteBuffer.allocate(8 + header.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
    return b.putLong(length).put(header).put(data).array();
  }

  private static byte[] bytes(String before, byte[] raw, String after) {
    return concat(concat(before.getBytes(StandardCharsets.UTF_8), raw),
        after.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] concat(byte[] a, byte[] b) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(a);
    out.writeBytes(b);
    return out.toByteArray();
  }
}
