package io.novacron.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The vLLM sharded_state output checked against a table worked out by hand from vLLM's layer code
 * (see {@link VllmShardedState} for the files read), for a GQA Llama: hidden 64, 8 heads of 8, 4 KV
 * heads, intermediate 128, vocabulary 100 (padded to 128), 2 layers.
 */
class VllmShardedStateTest {
  @TempDir Path tmp;

  private static final LlamaFixture GQA = LlamaFixture.small().withLayers(2).withKvHeads(4).withVocab(100);

  /**
   * Per TP: qkv rows = (8/tp q heads + 2 * max(1, 4/tp) KV heads) * 8; gate_up rows = 2 * 128/tp;
   * o_proj columns = 64/tp; down_proj columns = 128/tp; vocabulary rows = 128/tp.
   */
  @ParameterizedTest(name = "TP {0}")
  @CsvSource({
      "1, 128, 256, 64, 128, 128",
      "2,  64, 128, 32,  64,  64",
      "4,  32,  64, 16,  32,  32",
      "8,  24,  32,  8,  16,  16"})
  void every_rank_holds_the_names_and_shapes_vllm_declares(int tp, long qkv, long gateUp, long oCols,
      long downCols, long vocabRows) throws IOException {
    CheckpointInspection ckpt = CheckpointInspector.inspect(GQA.write(tmp.resolve("ckpt")));

    VllmShardedStateWriter.Written written = VllmShardedStateWriter.write(ckpt, tp, tmp.resolve("out"));
    List<Path> files = written.files();

    assertThat(files).hasSize(tp);
    for (int rank = 0; rank < tp; rank++) {
      // The digest computed on the way out is the file's, as read back whole.
      assertThat(written.sha256().get(rank)).isEqualTo(java.util.HexFormat.of().formatHex(
          CheckpointSharder.sha256().digest(java.nio.file.Files.readAllBytes(files.get(rank)))));
    }
    Map<String, List<Long>> expected = new LinkedHashMap<>();
    expected.put("model.embed_tokens.weight", List.of(vocabRows, 64L));
    for (int layer = 0; layer < 2; layer++) {
      String p = "model.layers." + layer + ".";
      expected.put(p + "input_layernorm.weight", List.of(64L));
      expected.put(p + "self_attn.qkv_proj.weight", List.of(qkv, 64L));
      expected.put(p + "self_attn.o_proj.weight", List.of(64L, oCols));
      expected.put(p + "post_attention_layernorm.weight", List.of(64L));
      expected.put(p + "mlp.gate_up_proj.weight", List.of(gateUp, 64L));
      expected.put(p + "mlp.down_proj.weight", List.of(64L, downCols));
    }
    expected.put("model.norm.weight", List.of(64L));
    expected.put("lm_head.weight", List.of(vocabRows, 64L));
    for (int rank = 0; rank < tp; rank++) {
      assertThat(files.get(rank).getFileName().toString())
          .isEqualTo("model-rank-" + rank + "-part-0.safetensors");
      SafetensorsHeader header = SafetensorsHeaderReader.read(files.get(rank));
      Map<String, List<Long>> actual = new LinkedHashMap<>();
      header.tensors().forEach(t -> actual.put(t.name(), t.shape()));
      assertThat(actual).containsExactlyInAnyOrderEntriesOf(expected);
      assertThat(header.metadata()).containsEntry("format", "pt");
    }
    assertThat(tmp.resolve("out/config.json")).exists();
  }

  @Test
  void merged_qkv_rows_are_the_ranks_q_heads_then_its_k_head_then_its_v_head() throws IOException {
    Path dir = GQA.write(tmp.resolve("ckpt"));
    CheckpointInspection ckpt = CheckpointInspector.inspect(dir);

    List<Path> files = VllmShardedStateWriter.write(ckpt, 8, tmp.resolve("out")).files();

    // TP 8 over 4 KV heads: rank 5 has q head 5 and KV head 5 / (8 / 4) = 2; a head is 8 rows of
    // 64 BF16 values, 1024 bytes.
    Path source = dir.resolve("model.safetensors");
    byte[] q = SafetensorsFiles.tensorBytes(source, "model.layers.1.self_attn.q_proj.weight");
    byte[] k = SafetensorsFiles.tensorBytes(source, "model.layers.1.self_attn.k_proj.weight");
    byte[] v = SafetensorsFiles.tensorBytes(source, "model.layers.1.self_attn.v_proj.weight");
    byte[] qkv = SafetensorsFiles.tensorBytes(files.get(5), "model.layers.1.self_attn.qkv_proj.weight");
    int head = 1024;
    assertThat(qkv).hasSize(3 * head);
    assertThat(Arrays.copyOfRange(qkv, 0, head)).isEqualTo(Arrays.copyOfRange(q, 5 * head, 6 * head));
    assertThat(Arrays.copyOfRange(qkv, head, 2 * head)).isEqualTo(Arrays.copyOfRange(k, 2 * head, 3 * head));
    assertThat(Arrays.copyOfRange(qkv, 2 * head, 3 * head)).isEqualTo(Arrays.copyOfRange(v, 2 * head, 3 * head));
  }

  @Test
  void gate_up_stacks_the_ranks_gate_rows_over_its_up_rows_and_o_proj_takes_its_columns()
      throws IOException {
    Path dir = GQA.write(tmp.resolve("ckpt"));
    List<Path> files = VllmShardedStateWriter.write(CheckpointInspector.inspect(dir), 2, tmp.resolve("out")).files();

    Path source = dir.resolve("model.safetensors");
    byte[] gate = SafetensorsFiles.tensorBytes(source, "model.layers.0.mlp.gate_proj.weight");
    byte[] up = SafetensorsFiles.tensorBytes(source, "model.layers.0.mlp.up_proj.weight");
    byte[] gateUp = SafetensorsFiles.tensorBytes(files.get(1), "model.layers.0.mlp.gate_up_proj.weight");
    int half = 64 * 64 * 2; // rank 1's 64 of 128 rows of 64 BF16 values
    assertThat(Arrays.copyOfRange(gateUp, 0, half)).isEqualTo(Arrays.copyOfRange(gate, half, 2 * half));
    assertThat(Arrays.copyOfRange(gateUp, half, 2 * half)).isEqualTo(Arrays.copyOfRange(up, half, 2 * half));

    byte[] o = SafetensorsFiles.tensorBytes(source, "model.layers.0.self_attn.o_proj.weight");
    byte[] oRank1 = SafetensorsFiles.tensorBytes(files.get(1), "model.layers.0.self_attn.o_proj.weight");
    // Row r of rank 1 is columns 32-63 of source row r: bytes 64-127 of its 128.
    for (int r = 0; r < 64; r++) {
      assertThat(Arrays.copyOfRange(oRank1, r * 64, r * 64 + 64))
          .as("o_proj row %d", r).isEqualTo(Arrays.copyOfRange(o, r * 128 + 64, r * 128 + 128));
    }
  }

  @Test
  void the_last_ranks_vocabulary_rows_end_in_zero_padding() throws IOException {
    Path dir = GQA.write(tmp.resolve("ckpt"));
    List<Path> files = VllmShardedStateWriter.write(CheckpointInspector.inspect(dir), 4, tmp.resolve("out")).files();

    // 100 rows padded to 128, 32 per rank: rank 3 holds rows 96-99, then 28 zero rows.
    byte[] lmHead = SafetensorsFiles.tensorBytes(dir.resolve("model.safetensors"), "lm_head.weight");
    byte[] rank3 = SafetensorsFiles.tensorBytes(files.get(3), "lm_head.weight");
    int row = 64 * 2;
    assertThat(rank3).hasSize(32 * row);
    assertThat(Arrays.copyOfRange(rank3, 0, 4 * row)).isEqualTo(Arrays.copyOfRange(lmHead, 96 * row, 100 * row));
    assertThat(Arrays.copyOfRange(rank3, 4 * row, 32 * row)).containsOnly((byte) 0);
  }

  @Test
  void tied_embeddings_are_written_once_as_lm_head_the_name_vllms_filter_keeps() throws IOException {
    Path dir = GQA.tiedEmbeddings().write(tmp.resolve("ckpt"));
    List<Path> files = VllmShardedStateWriter.write(CheckpointInspector.inspect(dir), 2, tmp.resolve("out")).files();

    SafetensorsHeader header = SafetensorsHeaderReader.read(files.get(0));
    assertThat(header.tensors()).extracting(TensorEntry::name)
        .contains("lm_head.weight").doesNotContain("model.embed_tokens.weight");
    byte[] embed = SafetensorsFiles.tensorBytes(dir.resolve("model.safetensors"), "model.embed_tokens.weight");
    byte[] rank0 = SafetensorsFiles.tensorBytes(files.get(0), "lm_head.weight");
    assertThat(rank0).isEqualTo(Arrays.copyOfRange(embed, 0, 64 * 64 * 2));
  }

  @Test
  void a_tp_that_splits_a_kv_head_or_a_quantized_model_is_refused_by_name() throws IOException {
    CheckpointInspection gqa = CheckpointInspector.inspect(GQA.withKvHeads(4).write(tmp.resolve("a")));
    assertThatThrownBy(() -> VllmShardedStateWriter.write(gqa, 3, tmp.resolve("out")).files())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("num_attention_heads");
    CheckpointInspection fp8 = CheckpointInspector.inspect(LlamaFixture.small().fp8Weights().write(tmp.resolve("b")));
    assertThatThrownBy(() -> VllmShardedStateWriter.write(fp8, 2, tmp.resolve("out")).files())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("format novacron");
    assertThat(Files.exists(tmp.resolve("out"))).isFalse();
  }
}
