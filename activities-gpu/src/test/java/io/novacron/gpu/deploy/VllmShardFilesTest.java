package io.novacron.gpu.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.novacron.checkpoint.CheckpointException;
import io.novacron.checkpoint.CheckpointInspector;
import io.novacron.checkpoint.LlamaFixture;
import io.novacron.checkpoint.VllmShardedStateWriter;
import io.novacron.workflows.model.deploy.ShardFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a node (and its reference loader) checks of files in format vllm-sharded-state. */
class VllmShardFilesTest {
  @TempDir Path tmp;
  Path out;
  List<Path> ranks;

  @BeforeEach
  void writeTp2() throws IOException {
    Path checkpoint = LlamaFixture.small().write(tmp.resolve("ckpt"));
    out = tmp.resolve("out");
    ranks = VllmShardedStateWriter.write(CheckpointInspector.inspect(checkpoint), 2, out).files();
  }

  @Test
  void each_rank_file_matches_what_vllm_expects_and_loads_every_byte() throws IOException {
    ManifestVerifier.Report one = VllmShardFiles.check(out, Set.of(1));
    ManifestVerifier.Report loaded = VllmShardFiles.load(out, Set.of(0, 1), ManifestVerifier.ChunkSink.NONE, d -> {});

    assertThat(one.files()).isEqualTo(1);
    assertThat(one.pieces()).isPositive();
    long data = 0;
    for (Path rank : ranks) {
      data += Files.size(rank) - io.novacron.checkpoint.SafetensorsHeaderReader.read(rank).dataStart();
    }
    assertThat(loaded.bytes()).isEqualTo(data);
    assertThat(loaded.pieces()).isEqualTo(2 * one.pieces());
  }

  @Test
  void a_file_of_another_rank_under_this_ranks_name_is_refused() throws IOException {
    Files.copy(ranks.get(1), ranks.get(0), StandardCopyOption.REPLACE_EXISTING);

    assertThatThrownBy(() -> VllmShardFiles.check(out, Set.of(0)))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining("model-rank-0-part-0.safetensors")
        .hasMessageContaining("holds TP rank 1");
  }

  @Test
  void shapes_that_disagree_with_the_config_beside_them_name_the_tensor() throws IOException {
    Path config = out.resolve(CheckpointInspector.CONFIG);
    String json = Files.readString(config);
    Files.writeString(config, json.replaceFirst("\"intermediate_size\"\\s*:\\s*(\\d+)", "\"intermediate_size\": 2$1"));

    assertThatThrownBy(() -> VllmShardFiles.check(out, Set.of(0)))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining("mlp.gate_up_proj.weight")
        .hasMessageContaining("vLLM's rank 0 of TP 2");
  }

  @Test
  void a_missing_rank_file_or_config_is_named() throws IOException {
    Files.delete(ranks.get(1));
    assertThatThrownBy(() -> VllmShardFiles.check(out, Set.of(1)))
        .isInstanceOf(CheckpointException.class).hasMessageContaining("rank 1's vLLM rank file is missing");

    Files.delete(out.resolve(CheckpointInspector.CONFIG));
    assertThatThrownBy(() -> VllmShardFiles.check(out, Set.of(0)))
        .isInstanceOf(CheckpointException.class).hasMessageContaining("no config.json");
  }

  @Test
  void the_reference_loader_reads_the_vllm_format_when_told() throws IOException {
    ReferenceLoader loader = new ReferenceLoader(out, Set.of(0, 1), ShardFormat.VLLM_SHARDED_STATE, 1L << 30);

    loader.load();

    assertThat(loader.summary()).containsEntry("state", "ready").containsEntry("format", "vllm-sharded-state")
        .containsEntry("files", 2).containsKey("tensors");
    // Told novacron, it looks for a manifest that this format does not have.
    assertThatThrownBy(() -> new ReferenceLoader(out, Set.of(0), ShardFormat.NOVACRON, 1L << 30).load())
        .isInstanceOf(IOException.class);
  }
}
