package io.novacron.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The issue-20 cases: config against tensors, missing tensors, hostile numbers, symlinks. */
class StrictInspectionTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path tmp;

  private CheckpointException refused(Path dir) {
    return assertThrows(CheckpointException.class, () -> CheckpointInspector.inspect(dir));
  }

  private static void setConfig(Path dir, String key, long value) throws IOException {
    ObjectNode config = (ObjectNode) JSON.readTree(dir.resolve("config.json").toFile());
    config.put(key, value);
    Files.writeString(dir.resolve("config.json"), config.toString());
  }

  @Test
  void config_that_contradicts_its_tensors_names_the_first_mismatch() throws IOException {
    Path dir = LlamaFixture.small().write(tmp.resolve("c"));
    setConfig(dir, "hidden_size", 128); // tensors are 64 wide

    assertThat(refused(dir)).hasMessageContaining("tensor 'model.embed_tokens.weight': shape [96, 64]"
        + " contradicts config.json, which implies [96, 128]");
  }

  @Test
  void gqa_kv_projection_of_the_wrong_width_is_named() throws IOException {
    Path dir = LlamaFixture.small().write(tmp.resolve("c"));
    setConfig(dir, "num_key_value_heads", 4); // tensors have 2 KV heads of 8

    assertThat(refused(dir)).hasMessageContaining("tensor 'model.layers.0.self_attn.k_proj.weight'")
        .hasMessageContaining("shape [16, 64] contradicts config.json, which implies [32, 64]");
  }

  @Test
  void a_missing_layer_is_refused_naming_its_first_tensor() throws IOException {
    Path dir = LlamaFixture.small().write(tmp.resolve("c"));
    setConfig(dir, "num_hidden_layers", 5); // the files hold layers 0..3

    assertThat(refused(dir)).hasMessageContaining("tensor 'model.layers.4.input_layernorm.weight': missing");
  }

  @Test
  void a_missing_lm_head_is_refused_unless_tied() throws IOException {
    Path dir = LlamaFixture.small().tiedEmbeddings().write(tmp.resolve("c"));
    setConfig(dir, "vocab_size", 96);
    ObjectNode config = (ObjectNode) JSON.readTree(dir.resolve("config.json").toFile());
    config.put("tie_word_embeddings", false);
    Files.writeString(dir.resolve("config.json"), config.toString());

    assertThat(refused(dir)).hasMessageContaining("tensor 'lm_head.weight': missing");
  }

  @Test
  void a_huge_layer_number_in_a_name_is_out_of_range_not_a_crash() throws IOException {
    Path dir = LlamaFixture.small().withLayers(1).write(tmp.resolve("c"));
    SafetensorsFiles.writeRaw(dir.resolve("extra.safetensors"),
        "{\"model.layers.99999999999.x\": {\"dtype\": \"BF16\", \"shape\": [1], \"data_offsets\": [0, 2]}}",
        new byte[2]);

    assertThat(refused(dir)).hasMessageContaining("tensor 'model.layers.99999999999.x': layer number"
        + " over 2^31 is beyond num_hidden_layers 1");
    assertThat(TensorEntry.layerNumber("99999999999999999999999")).isEqualTo(Integer.MAX_VALUE);
    assertThat(TensorEntry.layerNumber("0007")).isEqualTo(7);
  }

  @Test
  void config_values_out_of_bounds_name_the_key_and_range() throws IOException {
    Path dir = LlamaFixture.small().write(tmp.resolve("c"));
    setConfig(dir, "hidden_size", 1_000_000_000L);
    assertThat(refused(dir)).hasMessageContaining("hidden_size 1000000000 is outside 1..131072");

    Path dir2 = LlamaFixture.small().write(tmp.resolve("d"));
    setConfig(dir2, "vocab_size", Integer.MAX_VALUE);
    assertThat(refused(dir2)).hasMessageContaining("vocab_size 2147483647 is outside 1..4194304");
  }

  @Test
  void a_symlink_inside_the_checkpoint_is_followed() throws IOException {
    Path dir = LlamaFixture.small().write(tmp.resolve("c"));
    Files.move(dir.resolve("model.safetensors"), dir.resolve("real.bin"));
    Files.createSymbolicLink(dir.resolve("model.safetensors"), Path.of("real.bin"));

    assertThat(CheckpointInspector.inspect(dir).tensors()).isNotEmpty();
  }

  @Test
  void a_symlink_out_of_the_checkpoint_is_refused() throws IOException {
    Path dir = LlamaFixture.small().write(tmp.resolve("c"));
    Path outside = Files.move(dir.resolve("model.safetensors"), tmp.resolve("elsewhere.safetensors"));
    Files.createSymbolicLink(dir.resolve("model.safetensors"), outside);

    assertThat(refused(dir)).hasMessageContaining("links to " + outside.toRealPath())
        .hasMessageContaining("outside the checkpoint directory");
  }

  @Test
  void a_hugging_face_snapshot_may_link_into_its_own_blobs_only() throws IOException {
    Path repo = tmp.resolve("hub").resolve("models--org--tiny");
    Path snapshot = LlamaFixture.small().write(repo.resolve("snapshots").resolve("abc123"));
    Path blobs = Files.createDirectories(repo.resolve("blobs"));
    for (String name : List.of("model.safetensors", "config.json")) {
      Path blob = Files.move(snapshot.resolve(name), blobs.resolve("sha-" + name));
      Files.createSymbolicLink(snapshot.resolve(name), Path.of("../../blobs").resolve(blob.getFileName()));
    }
    assertThat(CheckpointInspector.inspect(snapshot).tensors()).isNotEmpty();

    Path otherRepo = Files.createDirectories(tmp.resolve("hub").resolve("models--org--other").resolve("blobs"));
    Path stolen = Files.move(blobs.resolve("sha-model.safetensors"), otherRepo.resolve("x"));
    Files.delete(snapshot.resolve("model.safetensors"));
    Files.createSymbolicLink(snapshot.resolve("model.safetensors"), stolen);

    assertThat(refused(snapshot)).hasMessageContaining("outside the checkpoint directory and its"
        + " Hugging Face cache's " + blobs.toRealPath());
  }
}
