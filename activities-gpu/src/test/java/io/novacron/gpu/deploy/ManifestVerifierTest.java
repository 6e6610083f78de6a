package io.novacron.gpu.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.novacron.checkpoint.CheckpointException;
import io.novacron.checkpoint.CheckpointInspector;
import io.novacron.checkpoint.CheckpointSharder;
import io.novacron.checkpoint.LlamaFixture;
import io.novacron.checkpoint.ShardLayout;
import io.novacron.checkpoint.ShardManifest;
import io.novacron.workflows.model.deploy.ShardFormat;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The checks a node (and its reference loader) runs on its shard files before serving them. */
class ManifestVerifierTest {
  @TempDir Path tmp;
  Path shards;
  ShardManifest manifest;

  @BeforeEach
  void shardTp2() throws IOException {
    Path checkpoint = LlamaFixture.small().write(tmp.resolve("ckpt"));
    shards = tmp.resolve("shards");
    manifest = CheckpointSharder.shard(CheckpointInspector.inspect(checkpoint), ShardLayout.of(2, 1, 4), shards);
  }

  @Test
  void intact_shards_verify_piece_by_piece_for_the_ranks_asked() throws IOException {
    ManifestVerifier.Report one = ManifestVerifier.verify(shards, Set.of(1), ManifestVerifier.ChunkSink.NONE, d -> {});
    ManifestVerifier.Report both = ManifestVerifier.verify(shards, Set.of(0, 1), ManifestVerifier.ChunkSink.NONE, d -> {});

    assertThat(one.files()).isEqualTo(1);
    assertThat(one.pieces()).isEqualTo(manifest.files().get(1).tensors());
    assertThat(both.bytes()).isEqualTo(manifest.tensors().stream().flatMap(t -> t.pieces().stream())
        .mapToLong(p -> p.end() - p.begin()).sum());
  }

  @Test
  void a_flipped_byte_is_reported_with_file_and_tensor() throws IOException {
    Path rank1 = shards.resolve(CheckpointSharder.fileName(0, 1));
    try (RandomAccessFile file = new RandomAccessFile(rank1.toFile(), "rw")) {
      file.seek(file.length() - 1);
      int b = file.read();
      file.seek(file.length() - 1);
      file.write(b ^ 0xff);
    }

    assertThatThrownBy(() -> ManifestVerifier.verify(shards, Set.of(1), ManifestVerifier.ChunkSink.NONE, d -> {}))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining(rank1.getFileName().toString())
        .hasMessageContaining("does not match the manifest");
    // Rank 0's file is untouched and still verifies.
    assertThat(ManifestVerifier.verify(shards, Set.of(0), ManifestVerifier.ChunkSink.NONE, d -> {}).files()).isEqualTo(1);
  }

  @Test
  void the_layout_check_reads_no_tensor_data_so_a_flipped_byte_passes_it_but_a_truncated_file_does_not()
      throws IOException {
    Path rank1 = shards.resolve(CheckpointSharder.fileName(0, 1));
    try (RandomAccessFile file = new RandomAccessFile(rank1.toFile(), "rw")) {
      file.seek(file.length() - 1);
      int b = file.read();
      file.seek(file.length() - 1);
      file.write(b ^ 0xff);
    }
    // Bytes are the engine's receipt's job (SHA-256 against the shard set); this checks the layout.
    ManifestVerifier.Report checked = ManifestVerifier.checkLayout(shards, Set.of(0, 1));
    assertThat(checked.pieces()).isEqualTo(manifest.files().get(0).tensors() + manifest.files().get(1).tensors());

    try (RandomAccessFile file = new RandomAccessFile(rank1.toFile(), "rw")) {
      file.setLength(file.length() - 1);
    }
    assertThatThrownBy(() -> ManifestVerifier.checkLayout(shards, Set.of(1)))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining(rank1.getFileName().toString())
        .hasMessageContaining("the manifest says");
  }

  @Test
  void the_reference_loader_keeps_weights_up_to_its_budget_and_reports_what_it_verified() throws IOException {
    ReferenceLoader unbounded = new ReferenceLoader(shards, Set.of(0), ShardFormat.NOVACRON, 1L << 30);
    ReferenceLoader bounded = new ReferenceLoader(shards, Set.of(0), ShardFormat.NOVACRON, 4096);

    unbounded.load();
    bounded.load();

    long verified = (long) unbounded.summary().get("bytesVerified");
    assertThat(unbounded.summary()).containsEntry("state", "ready").containsEntry("bytesResident", verified);
    assertThat((long) bounded.summary().get("bytesResident")).isLessThanOrEqualTo(4096);
    assertThat(bounded.summary()).containsEntry("bytesVerified", verified);
  }

  @Test
  void a_missing_rank_file_is_named() throws IOException {
    java.nio.file.Files.delete(shards.resolve(CheckpointSharder.fileName(0, 0)));

    assertThatThrownBy(() -> ManifestVerifier.verify(shards, Set.of(0), ManifestVerifier.ChunkSink.NONE, d -> {}))
        .hasMessageContaining("rank 0's shard file is missing");
  }
}
