package io.novacron.checkpoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Fuzzes {@link SafetensorsHeaderReader#read}: arbitrary bytes, valid headers with bytes mutated,
 * and arbitrary length fields (2^63 included) must give a parsed header or a {@link
 * CheckpointException}, never another exception. Memory is bounded because the length field is
 * checked against the cap before anything is allocated; tries are bounded so CI spends seconds.
 */
class SafetensorsHeaderFuzzTest {
  private static final String GOOD = "{\"__metadata__\":{\"format\":\"pt\"},"
      + "\"a\":{\"dtype\":\"F16\",\"shape\":[2,1],\"data_offsets\":[0,4]},"
      + "\"model.layers.7.b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}";

  private static Path dir;

  @BeforeContainer
  static void makeDir() throws IOException {
    dir = Files.createTempDirectory("st-fuzz");
  }

  @AfterContainer
  static void removeDir() throws IOException {
    try (var files = Files.list(dir)) {
      for (Path f : files.toList()) {
        Files.delete(f);
      }
    }
    Files.delete(dir);
  }

  @Property(tries = 2000)
  void arbitrary_bytes_parse_or_are_refused(@ForAll("anyBytes") byte[] file) throws IOException {
    readOrRefuse(file);
  }

  @Property(tries = 2000)
  void mutated_headers_parse_or_are_refused(@ForAll("mutations") List<int[]> edits) throws IOException {
    byte[] header = GOOD.getBytes(StandardCharsets.UTF_8);
    for (int[] edit : edits) {
      header[edit[0] % header.length] = (byte) edit[1];
    }
    readOrRefuse(StrictnessTableTest.file(header, new byte[8]));
  }

  @Property(tries = 1000)
  void any_length_field_parses_or_is_refused_without_allocating_it(@ForAll long length)
      throws IOException {
    readOrRefuse(StrictnessTableTest.withLength(length, GOOD.getBytes(StandardCharsets.UTF_8),
        new byte[8]));
  }

  @Property(tries = 500)
  void arbitrary_json_values_in_entries_are_refused_or_parsed(@ForAll("jsonish") String value)
      throws IOException {
    String header = "{\"a\":{\"dtype\":\"F16\",\"shape\":" + value + ",\"data_offsets\":" + value + "}}";
    readOrRefuse(StrictnessTableTest.file(header.getBytes(StandardCharsets.UTF_8), new byte[8]));
  }

  private static void readOrRefuse(byte[] file) throws IOException {
    Path f = dir.resolve("fuzz.safetensors");
    Files.write(f, file);
    try {
      SafetensorsHeaderReader.read(f);
    } catch (CheckpointException expected) {
      if (expected.getMessage() == null || !expected.getMessage().contains("fuzz.safetensors")) {
        throw new AssertionError("refusal does not name the file: " + expected.getMessage());
      }
    }
    // Any other exception (NumberFormatException, ArithmeticException, OutOfMemoryError, ...)
    // propagates and fails the property, and jqwik shrinks it to a minimal file.
  }

  @Provide
  Arbitrary<byte[]> anyBytes() {
    Arbitrary<byte[]> raw = Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
    // Half the tries get a length field that matches, so the JSON parser is reached.
    Arbitrary<byte[]> framed = Arbitraries.bytes().array(byte[].class).ofMinSize(2).ofMaxSize(300)
        .map(h -> StrictnessTableTest.file(h, new byte[0]));
    return Arbitraries.oneOf(raw, framed);
  }

  @Provide
  Arbitrary<List<int[]>> mutations() {
    Arbitrary<int[]> edit = Arbitraries.integers().between(0, 10_000)
        .flatMap(at -> Arbitraries.integers().between(-128, 127).map(b -> new int[] {at, b}));
    return edit.list().ofMinSize(1).ofMaxSize(6);
  }

  @Provide
  Arbitrary<String> jsonish() {
    return Arbitraries.oneOf(
        Arbitraries.of("[]", "[0,8]", "[-1,8]", "[0,1e400]", "[1.5,2]", "[9223372036854775808,0]",
            "[99999999999999999999999]", "null", "\"x\"", "{}", "[[0]]", "[0,8,9]",
            "[18446744073709551615,0]", "[" + "[".repeat(2000) + "]".repeat(2000) + "]"),
        Arbitraries.longs().list().ofMaxSize(4).map(Object::toString).map(s -> s.replace(" ", "")));
  }
}
