package io.novacron.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CheckpointSharderTest {
  @TempDir Path tmp;

  static Stream<Arguments> layouts() {
    LlamaFixture bf16 = LlamaFixture.small();
    LlamaFixture fp8 = LlamaFixture.small().fp8Weights();
    LlamaFixture multi = LlamaFixture.small().inFiles(3);
    return Stream.of(
        Arguments.of("bf16", bf16, 1, 1),
        Arguments.of("bf16", bf16, 2, 1),
        Arguments.of("bf16", bf16, 1, 2),
        Arguments.of("bf16", bf16, 2, 2),
        Arguments.of("bf16", bf16, 4, 4),
        Arguments.of("bf16, KV heads replicated", bf16, 8, 1),
        Arguments.of("fp8", fp8, 2, 2),
        Arguments.of("fp8, KV heads replicated", fp8, 4, 3),
        Arguments.of("multi-file", multi, 2, 2),
        Arguments.of("tied, odd vocabulary", bf16.tiedEmbeddings().withVocab(97), 4, 2));
  }

  @ParameterizedTest(name = "{0}: TP {2} x PP {3}")
  @MethodSource("layouts")
  void shards_reassemble_into_the_original_tensors_byte_for_byte(String label, LlamaFixture fixture,
      int tp, int pp) throws IOException {
    CheckpointInspection original = CheckpointInspector.inspect(fixture.write(tmp.resolve("ckpt")));
    Path shards = tmp.resolve("shards");

    ShardManifest manifest = CheckpointSharder.shard(original, ShardLayout.of(tp, pp, fixture.layers()), shards);

    assertThat(manifest.files()).hasSize(tp * pp);
    for (ShardManifest.ShardFile f : manifest.files()) {
      // Every shard is a valid safetensors file on its own, labelled with its rank.
      SafetensorsHeader header = SafetensorsHeaderReader.read(shards.resolve(f.file()));
      assertThat(header.metadata()).containsEntry("novacron.tp_rank", Integer.toString(f.tpRank()))
          .containsEntry("novacron.pp_rank", Integer.toString(f.stage()))
          .containsEntry("format", "pt");
      assertThat(header.tensors()).hasSize(f.tensors());
      assertThat(header.fileSize()).isEqualTo(f.bytes());
      // The digest the sharder computed as it wrote is the file's, as read back whole.
      assertThat(f.sha256()).as(f.file()).isEqualTo(sha256(Files.readAllBytes(shards.resolve(f.file()))));
    }
    ShardReassembler.Report report = ShardReassembler.verify(shards, original);
    assertThat(report.tensors()).isEqualTo(original.tensors().size());
    assertThat(report.bytes()).isEqualTo(original.totalBytes());

    // And independently of the reassembler's own comparison: write the checkpoint back out and
    // compare every tensor with the original file's bytes.
    Path rebuilt = tmp.resolve("rebuilt.safetensors");
    ShardReassembler.reassemble(shards, rebuilt);
    for (TensorEntry t : original.tensors()) {
      assertThat(SafetensorsFiles.tensorBytes(rebuilt, t.name())).as(t.name())
          .isEqualTo(SafetensorsFiles.tensorBytes(t.file(), t.name()));
    }
  }

  @Test
  void column_and_row_parallel_layers_split_along_the_right_dimension() throws IOException {
    LlamaFixture fixture = LlamaFixture.small();
    Path ckpt = fixture.write(tmp.resolve("ckpt"));
    Path shards = tmp.resolve("shards");

    CheckpointSharder.shard(CheckpointInspector.inspect(ckpt), ShardLayout.of(2, 1, 4), shards);

    Path original = ckpt.resolve("model.safetensors");
    String q = "model.layers.1.self_attn.q_proj.weight"; // [64 rows, 64 cols] BF16
    byte[] qAll = SafetensorsFiles.tensorBytes(original, q);
    assertThat(SafetensorsFiles.tensorBytes(shards.resolve("model-pp00-tp01.safetensors"), q))
        .isEqualTo(Arrays.copyOfRange(qAll, qAll.length / 2, qAll.length));

    String down = "model.layers.2.mlp.down_proj.weight"; // [64 rows, 128 cols] BF16
    byte[] downAll = SafetensorsFiles.tensorBytes(original, down);
    byte[] expected = new byte[downAll.length / 2];
    int rowBytes = 128 * 2;
    for (int row = 0; row < 64; row++) {
      // Rank 1 holds the second half of every row: columns 64..127.
      System.arraycopy(downAll, row * rowBytes + rowBytes / 2, expected, row * rowBytes / 2, rowBytes / 2);
    }
    assertThat(SafetensorsFiles.tensorBytes(shards.resolve("model-pp00-tp01.safetensors"), down)).isEqualTo(expected);

    String norm = "model.layers.0.input_layernorm.weight";
    assertThat(SafetensorsFiles.tensorBytes(shards.resolve("model-pp00-tp00.safetensors"), norm))
        .isEqualTo(SafetensorsFiles.tensorBytes(shards.resolve("model-pp00-tp01.safetensors"), norm))
        .isEqualTo(SafetensorsFiles.tensorBytes(original, norm));
  }

  @Test
  void kv_heads_are_replicated_when_tp_exceeds_them() throws IOException {
    LlamaFixture fixture = LlamaFixture.small(); // 2 KV heads of 8 rows each
    Path ckpt = fixture.write(tmp.resolve("ckpt"));
    Path shards = tmp.resolve("shards");

    ShardManifest manifest = CheckpointSharder.shard(CheckpointInspector.inspect(ckpt), ShardLayout.of(8, 1, 4), shards);

    String k = "model.layers.0.self_attn.k_proj.weight";
    byte[] kAll = SafetensorsFiles.tensorBytes(ckpt.resolve("model.safetensors"), k);
    byte[] head0 = Arrays.copyOfRange(kAll, 0, kAll.length / 2);
    byte[] head1 = Arrays.copyOfRange(kAll, kAll.length / 2, kAll.length);
    for (int rank = 0; rank < 8; rank++) {
      byte[] piece = SafetensorsFiles.tensorBytes(shards.resolve(CheckpointSharder.fileName(0, rank)), k);
      assertThat(piece).as("rank " + rank).isEqualTo(rank < 4 ? head0 : head1);
    }
    ShardManifest.ShardedTensor entry = manifest.tensors().stream().filter(t -> t.name().equals(k)).findFirst().orElseThrow();
    assertThat(entry.split()).isEqualTo(SplitKind.COLUMN);
    assertThat(entry.pieces()).hasSize(8).allSatisfy(p -> assertThat(p.shape()).containsExactly(8L, 64L));
    // The query heads are not replicated: 8 ranks, 8 distinct slices.
    assertThat(manifest.tensors().stream().filter(t -> t.name().equals("model.layers.0.self_attn.q_proj.weight"))
        .findFirst().orElseThrow().pieces()).extracting(ShardManifest.Piece::sliceStart).doesNotHaveDuplicates();
  }

  @Test
  void pipeline_stages_take_embeddings_first_and_lm_head_last() throws IOException {
    Path ckpt = LlamaFixture.small().withLayers(5).write(tmp.resolve("ckpt"));
    Path shards = tmp.resolve("shards");

    ShardManifest manifest = CheckpointSharder.shard(CheckpointInspector.inspect(ckpt), ShardLayout.of(1, 2, 5), shards);

    assertThat(manifest.stages()).containsExactly(new ShardManifest.Stage(0, 0, 3), new ShardManifest.Stage(1, 3, 5));
    List<String> first = names(shards.resolve("model-pp00-tp00.safetensors"));
    List<String> last = names(shards.resolve("model-pp01-tp00.safetensors"));
    assertThat(first).contains("model.embed_tokens.weight", "model.layers.2.mlp.up_proj.weight")
        .doesNotContain("lm_head.weight", "model.norm.weight", "model.layers.3.mlp.up_proj.weight");
    assertThat(last).contains("lm_head.weight", "model.norm.weight", "model.layers.4.mlp.up_proj.weight")
        .doesNotContain("model.embed_tokens.weight", "model.layers.2.mlp.up_proj.weight");
    assertThat(Files.exists(shards.resolve("config.json"))).isTrue();
  }

  @Test
  void a_tied_lm_head_gets_the_embeddings_on_the_last_stage_too() throws IOException {
    Path ckpt = LlamaFixture.small().tiedEmbeddings().write(tmp.resolve("ckpt"));
    Path shards = tmp.resolve("shards");

    CheckpointSharder.shard(CheckpointInspector.inspect(ckpt), ShardLayout.of(2, 2, 4), shards);

    assertThat(names(shards.resolve("model-pp00-tp01.safetensors"))).contains("model.embed_tokens.weight");
    assertThat(names(shards.resolve("model-pp01-tp01.safetensors"))).contains("model.embed_tokens.weight");
  }

  @Test
  void fp8_scales_follow_their_weights() throws IOException {
    Path ckpt = LlamaFixture.small().fp8Weights().write(tmp.resolve("ckpt"));
    Path shards = tmp.resolve("shards");

    ShardManifest manifest = CheckpointSharder.shard(CheckpointInspector.inspect(ckpt), ShardLayout.of(2, 1, 4), shards);

    assertThat(piecesOf(manifest, "model.layers.0.mlp.gate_proj.weight_scale").get(0).shape()).containsExactly(64L, 1L);
    assertThat(piecesOf(manifest, "model.layers.0.mlp.down_proj.weight_scale").get(0).shape()).containsExactly(64L, 1L);
    assertThat(piecesOf(manifest, "model.layers.0.mlp.down_proj.weight").get(0).shape()).containsExactly(64L, 64L);
    assertThat(piecesOf(manifest, "model.layers.0.mlp.up_proj.input_scale").get(0).shape()).isEmpty();
    assertThat(manifest.tensors().stream().filter(t -> t.name().endsWith("down_proj.weight_scale")))
        .allSatisfy(t -> assertThat(t.split()).isEqualTo(SplitKind.REPLICATE));
  }

  @ParameterizedTest(name = "cut by {0} bytes")
  @org.junit.jupiter.params.provider.ValueSource(ints = {1, 100})
  void a_checkpoint_that_shrinks_while_it_is_sharded_fails_naming_the_file(int cut) throws IOException {
    Path ckpt = LlamaFixture.small().write(tmp.resolve("ckpt"));
    Path file = ckpt.resolve("model.safetensors");
    CheckpointInspection original = CheckpointInspector.inspect(ckpt);
    long size = Files.size(file);
    assertThat((size - cut) / 4096).as("the cut stays within the file's last page").isEqualTo((size - 1) / 4096);
    // One worker; after its first tensor a few bytes are cut off the file's end. Less than a page,
    // so reading the mapped tail gives zeros rather than a fault (SIGBUS, which Java 17 raises as an
    // InternalError at an arbitrary later point of the thread: no test relies on it). Reads succeed,
    // so only the sharder's check that the file is still the one it opened can catch it.
    ShardProgress cutAfterFirst = new ShardProgress() {
      private boolean done;

      @Override
      public void tensorDone(long bytesDone, long bytesTotal, String tensor) {
        if (!done) {
          done = true;
          try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(raf.length() - cut);
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        }
      }
    };

    assertThatThrownBy(() -> CheckpointSharder.shard(original, ShardLayout.of(2, 1, 4), tmp.resolve("shards"),
        cutAfterFirst, 1))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining("model.safetensors")
        .hasMessageContaining("changed (shrank or was rewritten) while it was being sharded");
    assertThat(tmp.resolve("shards").resolve("shard-manifest.json")).doesNotExist();
  }

  @Test
  void manifest_checksums_are_the_sha256_of_the_bytes_in_the_shard_files() throws IOException {
    Path ckpt = LlamaFixture.small().write(tmp.resolve("ckpt"));
    Path shards = tmp.resolve("shards");
    CheckpointInspection original = CheckpointInspector.inspect(ckpt);

    CheckpointSharder.shard(original, ShardLayout.of(2, 2, 4), shards);
    ShardManifest manifest = ShardManifests.read(shards);

    assertThat(manifest.format()).isEqualTo("novacron-shards/2");
    assertThat(manifest.tensors()).anyMatch(t -> t.pieces().stream().map(ShardManifest.Piece::sliceStart).distinct().count() > 1);
    for (ShardManifest.ShardedTensor t : manifest.tensors()) {
      boolean split = t.pieces().stream().map(ShardManifest.Piece::sliceStart).distinct().count() > 1;
      // A tensor stored whole carries its digest; a split one only through its pieces.
      assertThat(t.sha256()).as(t.name()).isEqualTo(split ? null
          : sha256(SafetensorsFiles.tensorBytes(ckpt.resolve("model.safetensors"), t.name())));
      for (ShardManifest.Piece p : t.pieces()) {
        assertThat(p.sha256()).as(t.name() + " rank " + p.rank())
            .isEqualTo(sha256(SafetensorsFiles.tensorBytes(shards.resolve(p.file()), t.name())));
      }
    }
  }

  @Test
  void a_version_1_manifest_with_a_digest_on_every_tensor_is_still_read_and_checked() throws IOException {
    Path ckpt = LlamaFixture.small().write(tmp.resolve("ckpt"));
    Path shards = tmp.resolve("shards");
    CheckpointInspection original = CheckpointInspector.inspect(ckpt);
    CheckpointSharder.shard(original, ShardLayout.of(2, 1, 4), shards);
    ShardManifest v2 = ShardManifests.read(shards);
    java.util.List<ShardManifest.ShardedTensor> withDigests = new java.util.ArrayList<>();
    for (ShardManifest.ShardedTensor t : v2.tensors()) {
      withDigests.add(new ShardManifest.ShardedTensor(t.name(), t.dtype(), t.shape(), t.sourceFile(),
          sha256(SafetensorsFiles.tensorBytes(ckpt.resolve("model.safetensors"), t.name())), t.split(), t.dim(),
          t.pieces()));
    }
    ShardManifests.write(new ShardManifest("novacron-shards/1", v2.source(), v2.tp(), v2.pp(), v2.stages(),
        v2.files(), withDigests), shards);
    assertThat(ShardReassembler.verify(shards, original).bytes()).isEqualTo(original.totalBytes());

    // A wrong whole-tensor digest in a version-1 manifest is still caught.
    ShardManifest.ShardedTensor first = withDigests.get(0);
    withDigests.set(0, new ShardManifest.ShardedTensor(first.name(), first.dtype(), first.shape(), first.sourceFile(),
        "00".repeat(32), first.split(), first.dim(), first.pieces()));
    ShardManifests.write(new ShardManifest("novacron-shards/1", v2.source(), v2.tp(), v2.pp(), v2.stages(),
        v2.files(), withDigests), shards);
    assertThatThrownBy(() -> ShardReassembler.reassemble(shards, tmp.resolve("rebuilt.safetensors")))
        .isInstanceOf(CheckpointException.class).hasMessageContaining("reassembled SHA-256");
  }

  @Test
  void a_manifest_of_an_unknown_format_is_refused_naming_the_fix() throws IOException {
    Path ckpt = LlamaFixture.small().write(tmp.resolve("ckpt"));
    Path shards = tmp.resolve("shards");
    CheckpointSharder.shard(CheckpointInspector.inspect(ckpt), ShardLayout.of(1, 1, 4), shards);
    ShardManifest m = ShardManifests.read(shards);
    ShardManifests.write(new ShardManifest("novacron-shards/9", m.source(), m.tp(), m.pp(), m.stages(),
        m.files(), m.tensors()), shards);
    assertThatThrownBy(() -> ShardManifests.read(shards)).isInstanceOf(CheckpointException.class)
        .hasMessageContaining("novacron-shards/9").hasMessageContaining("shard the checkpoint again");
  }

  @Test
  void tensors_larger_than_the_io_buffers_stream_through_them() throws IOException {
    // 40000 x 256 BF16 embeddings: 19.5 MiB, more than the 8 MiB mapped window and 256 KiB piece buffers.
    LlamaFixture fixture = new LlamaFixture(2, 256, 8, 2, 512, 40000, false, false, 1);
    CheckpointInspection original = CheckpointInspector.inspect(fixture.write(tmp.resolve("big")));
    assertThat(original.tensors().get(0).byteLength()).isGreaterThan(CheckpointSharder.MAP_WINDOW_BYTES);
    Path shards = tmp.resolve("shards");

    CheckpointSharder.shard(original, ShardLayout.of(2, 2, 2), shards);

    assertThat(ShardReassembler.verify(shards, original).bytes()).isEqualTo(original.totalBytes());
  }

  @Test
  void the_files_are_the_same_whatever_the_number_of_workers() throws IOException {
    CheckpointInspection original = CheckpointInspector.inspect(LlamaFixture.small().fp8Weights().inFiles(2)
        .write(tmp.resolve("ckpt")));
    ShardLayout layout = ShardLayout.of(4, 2, 4);
    List<String> progress = new java.util.ArrayList<>();

    ShardManifest one = CheckpointSharder.shard(original, layout, tmp.resolve("one"), ShardProgress.NONE, 1);
    ShardManifest three = CheckpointSharder.shard(original, layout, tmp.resolve("three"),
        (done, total, tensor) -> progress.add(done + "/" + total), 3);

    assertThat(three).isEqualTo(one);
    for (ShardManifest.ShardFile f : one.files()) {
      assertThat(Files.readAllBytes(tmp.resolve("three").resolve(f.file())))
          .isEqualTo(Files.readAllBytes(tmp.resolve("one").resolve(f.file())));
    }
    assertThat(progress).hasSize(original.tensors().size())
        .last().isEqualTo(original.totalBytes() + "/" + original.totalBytes());
  }

  @Test
  void a_corrupted_shard_is_caught_naming_the_tensor() throws IOException {
    Path ckpt = LlamaFixture.small().write(tmp.resolve("ckpt"));
    Path shards = tmp.resolve("shards");
    CheckpointInspection original = CheckpointInspector.inspect(ckpt);
    ShardManifest manifest = CheckpointSharder.shard(original, ShardLayout.of(2, 1, 4), shards);
    ShardManifest.Piece piece = piecesOf(manifest, "model.layers.3.mlp.up_proj.weight").get(1);
    Path file = shards.resolve(piece.file());
    long dataStart = SafetensorsHeaderReader.read(file).dataStart();
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.seek(dataStart + piece.begin() + 5);
      int b = raf.read();
      raf.seek(dataStart + piece.begin() + 5);
      raf.write(b ^ 0x01);
    }

    assertThatThrownBy(() -> ShardReassembler.verify(shards, original))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining("tensor 'model.layers.3.mlp.up_proj.weight'")
        .hasMessageContaining("differ");
  }

  @Test
  void a_layout_that_would_split_a_head_is_refused() throws IOException {
    CheckpointInspection original = CheckpointInspector.inspect(LlamaFixture.small().write(tmp.resolve("ckpt")));

    assertThatThrownBy(() -> CheckpointSharder.shard(original, ShardLayout.of(3, 1, 4), tmp.resolve("s")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("TP 3 does not divide 8 attention heads");
    assertThatThrownBy(() -> CheckpointSharder.shard(original, ShardLayout.of(1, 2, 6), tmp.resolve("s")))
        .hasMessageContaining("the layout covers 6 layers, the model has 4");
  }

  private static List<String> names(Path file) throws IOException {
    return SafetensorsHeaderReader.read(file).tensors().stream().map(TensorEntry::name).toList();
  }

  private static List<ShardManifest.Piece> piecesOf(ShardManifest manifest, String name) {
    return manifest.tensors().stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow().pieces();
  }

  private static String sha256(byte[] bytes) {
    return HexFormat.of().formatHex(CheckpointSharder.sha256().digest(bytes));
  }
}
