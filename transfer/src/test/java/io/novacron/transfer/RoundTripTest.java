package io.novacron.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import io.novacron.transfer.DataSets.Shape;
import io.novacron.workflows.transfer.TransferOptions;
import io.novacron.workflows.transfer.TransferResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RoundTripTest {
  /** Not a multiple of any block size: the last block is short. */
  static final long SIZE = (1L << 20) + 4097;

  @TempDir
  static Path tmp;
  static TwoNodes nodes;

  @BeforeAll
  static void start() throws Exception {
    nodes = new TwoNodes(tmp);
  }

  @AfterAll
  static void stop() {
    nodes.close();
  }

  static Stream<Arguments> codecsAndShapes() {
    return Stream.of("auto", "none", "lz4", "zstd:1", "zstd:9").flatMap(codec ->
        Stream.of(Shape.ZEROS, Shape.TEXT, Shape.RANDOM, Shape.RAM, Shape.DISK).map(shape -> Arguments.of(codec, shape)));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("codecsAndShapes")
  void every_codec_delivers_every_shape_byte_for_byte(String codec, Shape shape) throws Exception {
    String name = codec.replace(':', '-') + "-" + shape.name().toLowerCase();
    Path source = nodes.sourceDir.resolve(name + ".img");
    DataSets.write(source, shape, SIZE, 42);

    TransferResult result = nodes.transfer(TwoNodes.request("rt-" + name, name + ".img", "in/" + name + ".img",
        TransferOptions.defaults().withCodec(codec).withDelta(false)));

    Path landed = nodes.targetDir.resolve("in/" + name + ".img");
    assertThat(Files.mismatch(source, landed)).isEqualTo(-1L);
    assertThat(result.sha256()).isEqualTo(sha256(source));
    assertThat(result.bytesRaw()).isEqualTo(SIZE);
    assertThat(result.blocksSent() + result.blocksZero() + result.blocksSkipped() + result.blocksResumed())
        .isEqualTo(result.blocksTotal());
    if (shape == Shape.ZEROS) {
      assertThat(result.blocksSent()).isZero();
      assertThat(result.bytesOnWire()).isLessThan(4096);
    }
    if (shape == Shape.RAM) {
      // Half its pages are zero: left out even without compression.
      assertThat(result.bytesOnWire()).isLessThan((long) (SIZE * 0.6));
    }
    if (shape == Shape.TEXT && !codec.equals("none") && !codec.equals("auto")) {
      assertThat(result.ratio()).isGreaterThan(2.0);
    }
    if ((shape == Shape.RANDOM || codec.equals("none")) && shape != Shape.ZEROS) {
      // Incompressible chunks go raw: nothing but "none" payload.
      assertThat(result.wireBytesByCodec().keySet()).containsOnly("none");
    }
    // Partial file and journal are gone once the file landed.
    try (Stream<Path> left = Files.list(landed.getParent())) {
      assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".part") || n.endsWith(".journal"));
    }
  }

  @Test
  void small_blocks_empty_files_and_many_streams_round_trip() throws Exception {
    Path empty = nodes.sourceDir.resolve("empty.bin");
    Files.write(empty, new byte[0]);
    TransferResult none = nodes.transfer(TwoNodes.request("rt-empty", "empty.bin", "empty.bin", TransferOptions.defaults()));
    assertThat(Files.size(nodes.targetDir.resolve("empty.bin"))).isZero();
    assertThat(none.blocksTotal()).isZero();

    Path mixed = nodes.sourceDir.resolve("mixed-4k.bin");
    DataSets.write(mixed, Shape.RAM, SIZE, 7);
    nodes.transfer(TwoNodes.request("rt-4k", "mixed-4k.bin", "mixed-4k.bin",
        TransferOptions.defaults().withBlockSize(4096).withStreams(4).withCodec("zstd:3")));
    assertThat(Files.mismatch(mixed, nodes.targetDir.resolve("mixed-4k.bin"))).isEqualTo(-1L);
  }

  static String sha256(Path file) throws Exception {
    return Hashes.hex(Hashes.sha256().digest(Files.readAllBytes(file)));
  }
}
