package io.novacron.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A MoE checkpoint sharded with EP = TP ({@link ExpertShardRules} through {@link ShardRules}), and
 * its experts' shapes checked at inspection.
 */
class MoeShardTest {
  @TempDir Path tmp;

  @Test
  void each_rank_holds_its_experts_whole_and_the_router_and_attention_as_tp() throws IOException {
    CheckpointInspection ckpt = CheckpointInspector.inspect(MoeFixture.of(4).write(tmp.resolve("ckpt")));

    ShardManifest manifest = CheckpointSharder.shard(ckpt, ShardLayout.of(2, 1, MoeFixture.LAYERS), tmp.resolve("out"));

    Map<String, ShardManifest.ShardedTensor> byName = manifest.tensors().stream()
        .collect(Collectors.toMap(ShardManifest.ShardedTensor::name, t -> t));
    // Experts 0 and 1 on rank 0, 2 and 3 on rank 1 (vLLM's contiguous placement), whole.
    for (int e = 0; e < 4; e++) {
      ShardManifest.ShardedTensor down = byName.get("model.layers.1.mlp.experts." + e + ".down_proj.weight");
      assertThat(down.split()).isEqualTo(SplitKind.EXPERT);
      assertThat(down.pieces()).singleElement().satisfies(piece -> {
        assertThat(piece.shape()).isEqualTo(List.of(64L, 32L));
        assertThat(piece.sliceStart()).isZero();
        assertThat(piece.sliceEnd()).isEqualTo(64);
      });
      assertThat(down.pieces().get(0).rank()).as("expert " + e).isEqualTo(e / 2);
    }
    ShardManifest.ShardedTensor router = byName.get("model.layers.0.mlp.gate.weight");
    assertThat(router.split()).isEqualTo(SplitKind.REPLICATE);
    assertThat(router.pieces()).extracting(ShardManifest.Piece::rank).containsExactly(0, 1);
    ShardManifest.ShardedTensor q = byName.get("model.layers.0.self_attn.q_proj.weight");
    assertThat(q.split()).isEqualTo(SplitKind.COLUMN);
    assertThat(q.pieces()).extracting(ShardManifest.Piece::shape).containsOnly(List.of(32L, 64L));
    assertThat(byName.get("model.layers.0.self_attn.q_norm.weight").split()).isEqualTo(SplitKind.REPLICATE);
    assertThat(manifest.files()).extracting(ShardManifest.ShardFile::tensors)
        .as("each rank: its 2 experts x 3 x 2 layers, plus everything else once")
        .containsOnly(manifest.files().get(0).tensors());
    // Byte for byte: every expert rebuilt from the one rank that holds it.
    ShardReassembler.Report report = ShardReassembler.verify(tmp.resolve("out"), ckpt);
    assertThat(report.tensors()).isEqualTo(ckpt.tensors().size());
  }

  @Test
  void tp_that_does_not_divide_the_experts_is_refused_naming_them() throws IOException {
    CheckpointInspection ckpt = CheckpointInspector.inspect(MoeFixture.of(6).write(tmp.resolve("ckpt")));

    assertThatThrownBy(() -> CheckpointSharder.shard(ckpt, ShardLayout.of(4, 1, MoeFixture.LAYERS), tmp.resolve("out")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("6 routed experts");
  }

  @Test
  void an_expert_of_the_wrong_width_is_named_at_inspection() throws IOException {
    Path bad = new MoeFixture(4, true, false).write(tmp.resolve("bad"));

    assertThatThrownBy(() -> CheckpointInspector.inspect(bad))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining("model.layers.1.mlp.experts.3.down_proj.weight")
        .hasMessageContaining("[64, 16]")
        .hasMessageContaining("moe_intermediate_size 32");
  }

  @Test
  void a_missing_expert_is_named_at_inspection() throws IOException {
    Path missing = new MoeFixture(4, false, true).write(tmp.resolve("missing"));

    assertThatThrownBy(() -> CheckpointInspector.inspect(missing))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining("model.layers.1.mlp.experts.3.gate_proj.weight")
        .hasMessageContaining("missing");
  }
}
