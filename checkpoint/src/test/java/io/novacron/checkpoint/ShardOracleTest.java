package io.novacron.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shards compute: {@code src/test/python/llama_oracle.py} runs a float32 Llama forward pass on
 * the unsharded checkpoint and again rank by rank from each layout's shard files (partial matmuls,
 * summed as an all-reduce would, stages chained), and the logits must agree to 1e-5.
 *
 * <p>Needs the model venv (numpy, safetensors) that {@code starter/bin/novacron install} makes;
 * CI has it. Without it the test fails rather than skips, so the proof cannot silently vanish.
 */
class ShardOracleTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path SCRIPT = Path.of("src/test/python/llama_oracle.py");
  private static final double TOLERANCE = 1e-5;

  @TempDir Path tmp;
  private Path checkpoint;
  private CheckpointInspection inspection;

  @BeforeEach
  void writeCheckpoint() throws IOException {
    checkpoint = Float32Llama.small().write(tmp.resolve("ckpt"));
    inspection = CheckpointInspector.inspect(checkpoint);
  }

  @Test
  void every_layout_computes_the_unsharded_logits() throws Exception {
    List<Path> dirs = new ArrayList<>();
    for (int tp : new int[] {1, 2, 4, 8}) {
      for (int pp : new int[] {1, 2, 3}) {
        Path dir = tmp.resolve("tp" + tp + "-pp" + pp);
        CheckpointSharder.shard(inspection, ShardLayout.of(tp, pp, Float32Llama.small().layers()), dir);
        dirs.add(dir);
      }
    }

    List<JsonNode> layouts = new ArrayList<>();
    oracle(dirs).get("layouts").forEach(layouts::add);
    // Again with one operating-system process per rank, partial sums passed through pipes.
    oracle(dirs, "--processes").get("layouts").forEach(layouts::add);

    assertThat(layouts).hasSize(24);
    for (JsonNode layout : layouts) {
      // Printed so that the errors per layout can be quoted (docs/model-planning.md).
      System.out.printf("oracle TP %d x PP %d%s: max |logit error| %.3g (max |logit| %.3g)%n",
          layout.get("tp").asInt(), layout.get("pp").asInt(),
          layout.get("processes").asBoolean() ? ", a process per rank" : "",
          layout.get("max_abs_error").asDouble(), layout.get("max_abs_logit").asDouble());
      assertThat(layout.get("max_abs_error").asDouble())
          .as("TP %s x PP %s, processes %s", layout.get("tp"), layout.get("pp"), layout.get("processes"))
          .isLessThanOrEqualTo(TOLERANCE);
    }
  }

  @Test
  void a_swapped_piece_gives_wrong_logits() throws Exception {
    Path dir = tmp.resolve("tp2-pp1");
    ShardManifest manifest = CheckpointSharder.shard(inspection, ShardLayout.of(2, 1, 4), dir);
    // Ranks 0 and 1 trade their halves of layer 0's down_proj: every byte is still the model's,
    // only in the wrong rank, which a check of shapes or of the set of bytes would not catch.
    ShardManifest.ShardedTensor down = manifest.tensors().stream()
        .filter(t -> t.name().equals("model.layers.0.mlp.down_proj.weight")).findFirst().orElseThrow();
    swap(dir, down.pieces().get(0), down.pieces().get(1));

    JsonNode layout = oracle(List.of(dir)).get("layouts").get(0);
    System.out.printf("oracle TP 2 x PP 1, down_proj pieces swapped: max |logit error| %.3g%n",
        layout.get("max_abs_error").asDouble());

    assertThat(layout.get("max_abs_error").asDouble()).isGreaterThan(1e-2);
  }

  private JsonNode oracle(List<Path> shardDirs, String... options)
      throws IOException, InterruptedException {
    Path python = venv().resolve("bin/python");
    if (!Files.isExecutable(python)) {
      fail("no Python with numpy and safetensors at " + python
          + ": run `starter/bin/novacron install` (or point NOVACRON_MODEL_VENV at such a venv)");
    }
    List<String> command = new ArrayList<>(List.of(python.toString(), SCRIPT.toString()));
    command.addAll(List.of(options));
    command.add(checkpoint.toString());
    shardDirs.forEach(d -> command.add(d.toString()));
    Path stdout = tmp.resolve("oracle.json");
    Path stderr = tmp.resolve("oracle.err");
    Process process = new ProcessBuilder(command).redirectOutput(stdout.toFile())
        .redirectError(stderr.toFile()).start();
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      fail("the oracle ran past 120 s: " + Files.readString(stderr));
    }
    if (process.exitValue() != 0) {
      fail("the oracle failed (exit " + process.exitValue() + "): " + Files.readString(stderr)
          + (Files.readString(stderr).contains("ModuleNotFoundError")
              ? " -- run `starter/bin/novacron install`" : ""));
    }
    return JSON.readTree(stdout.toFile());
  }

  private static Path venv() {
    String override = System.getenv("NOVACRON_MODEL_VENV");
    return override != null && !override.isBlank() ? Path.of(override)
        : Path.of(System.getProperty("user.home"), ".cache/novacron/model-venv");
  }

  /** Swaps two same-sized pieces between their rank files, in place. */
  private static void swap(Path dir, ShardManifest.Piece a, ShardManifest.Piece b) throws IOException {
    assertThat(a.end() - a.begin()).isEqualTo(b.end() - b.begin());
    byte[] aBytes = read(dir.resolve(a.file()), a);
    byte[] bBytes = read(dir.resolve(b.file()), b);
    assertThat(aBytes).isNotEqualTo(bBytes);
    write(dir.resolve(a.file()), a, bBytes);
    write(dir.resolve(b.file()), b, aBytes);
  }

  private static long dataStart(RandomAccessFile file) throws IOException {
    byte[] length = new byte[8];
    file.readFully(length);
    return 8 + ByteBuffer.wrap(length).order(ByteOrder.LITTLE_ENDIAN).getLong();
  }

  private static byte[] read(Path path, ShardManifest.Piece piece) throws IOException {
    try (RandomAccessFile file = new RandomAccessFile(path.toFile(), "r")) {
      file.seek(dataStart(file) + piece.begin());
      byte[] bytes = new byte[(int) (piece.end() - piece.begin())];
      file.readFully(bytes);
      return bytes;
    }
  }

  private static void write(Path path, ShardManifest.Piece piece, byte[] bytes) throws IOException {
    try (RandomAccessFile file = new RandomAccessFile(path.toFile(), "rw")) {
      file.seek(dataStart(file) + piece.begin());
      file.write(bytes);
    }
  }
}
