package io.novacron.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Broken checkpoints are refused with a message that names the file and, where one is, the tensor. */
class BadCheckpointTest {
  @TempDir Path tmp;
  Path dir;

  @BeforeEach
  void oneGoodCheckpoint() throws IOException {
    dir = LlamaFixture.small().withLayers(1).write(tmp.resolve("ckpt"));
  }

  private CheckpointException inspectFails() {
    return org.junit.jupiter.api.Assertions.assertThrows(CheckpointException.class,
        () -> CheckpointInspector.inspect(dir));
  }

  private Path model() {
    return dir.resolve("model.safetensors");
  }

  @Test
  void header_that_is_not_json_is_malformed() throws IOException {
    SafetensorsFiles.writeRaw(model(), "{\"a\": {\"dtype\": \"BF16\", ", new byte[0]);

    CheckpointException e = inspectFails();

    assertThat(e).hasMessageContaining("model.safetensors").hasMessageContaining("malformed header: not JSON");
    assertThat(e.file()).isEqualTo(model());
  }

  @Test
  void header_length_past_the_end_of_the_file_is_malformed() throws IOException {
    byte[] header = "{}".getBytes(StandardCharsets.UTF_8);
    SafetensorsFiles.writeRaw(model(), 1L << 40, header, new byte[16]);

    assertThat(inspectFails()).hasMessageContaining("model.safetensors")
        .hasMessageContaining("malformed header: length field says 1099511627776 bytes");
  }

  @Test
  void file_shorter_than_the_length_field_is_refused() throws IOException {
    Files.write(model(), new byte[] {1, 2, 3});

    assertThat(inspectFails()).hasMessageContaining("too short for a safetensors header (3 bytes)");
  }

  @Test
  void overlapping_offsets_name_both_tensors() throws IOException {
    SafetensorsFiles.writeRaw(model(), """
        {"a": {"dtype": "BF16", "shape": [4], "data_offsets": [0, 8]},
         "b": {"dtype": "BF16", "shape": [4], "data_offsets": [4, 12]}}""", new byte[12]);

    CheckpointException e = inspectFails();

    assertThat(e.tensor()).isEqualTo("b");
    assertThat(e).hasMessageContaining("model.safetensors, tensor 'b': data_offsets overlap tensor 'a'")
        .hasMessageContaining("[0, 8) and [4, 12)");
  }

  @Test
  void offsets_past_the_end_of_the_file_are_refused() throws IOException {
    SafetensorsFiles.writeRaw(model(), """
        {"a": {"dtype": "BF16", "shape": [4], "data_offsets": [0, 8]},
         "b": {"dtype": "F32", "shape": [4], "data_offsets": [8, 24]}}""", new byte[16]);

    CheckpointException e = inspectFails();

    assertThat(e.tensor()).isEqualTo("b");
    assertThat(e).hasMessageContaining("data_offsets [8,24] run past the end of the file (data section is 16 bytes)");
  }

  @Test
  void unknown_dtype_is_named() throws IOException {
    SafetensorsFiles.write(model(), List.of(
        new SafetensorsFiles.Tensor("model.layers.0.mlp.up_proj.weight", "F4_E9", List.of(2L), new byte[2])),
        Map.of());

    CheckpointException e = inspectFails();

    assertThat(e).hasMessageContaining("model.safetensors, tensor 'model.layers.0.mlp.up_proj.weight'")
        .hasMessageContaining("unknown dtype 'F4_E9'");
  }

  @Test
  void data_size_that_disagrees_with_the_shape_is_refused() throws IOException {
    SafetensorsFiles.write(model(), List.of(
        new SafetensorsFiles.Tensor("w", "BF16", List.of(2L, 3L), new byte[10])), Map.of());

    assertThat(inspectFails()).hasMessageContaining("tensor 'w'")
        .hasMessageContaining("hold 10 bytes but shape [2, 3] of BF16 needs 12");
  }

  @Test
  void gaps_and_trailing_bytes_are_refused_as_the_reference_loader_does() throws IOException {
    SafetensorsFiles.writeRaw(model(), """
        {"a": {"dtype": "U8", "shape": [4], "data_offsets": [0, 4]},
         "b": {"dtype": "U8", "shape": [4], "data_offsets": [6, 10]}}""", new byte[10]);
    assertThat(inspectFails()).hasMessageContaining("tensor 'b': data_offsets leave a gap of 2 bytes");

    SafetensorsFiles.writeRaw(model(), """
        {"a": {"dtype": "U8", "shape": [4], "data_offsets": [0, 4]}}""", new byte[7]);
    assertThat(inspectFails()).hasMessageContaining("3 bytes after the last tensor belong to no tensor");
  }

  @Test
  void duplicate_tensor_names_in_a_header_are_malformed() throws IOException {
    SafetensorsFiles.writeRaw(model(), """
        {"a": {"dtype": "U8", "shape": [1], "data_offsets": [0, 1]},
         "a": {"dtype": "U8", "shape": [1], "data_offsets": [1, 2]}}""", new byte[2]);

    assertThat(inspectFails()).hasMessageContaining("malformed header").hasMessageContaining("Duplicate field 'a'");
  }

  @Test
  void index_that_places_a_tensor_in_the_wrong_file_is_refused() throws IOException {
    Path multi = LlamaFixture.small().inFiles(2).write(tmp.resolve("multi"));
    Path index = multi.resolve(CheckpointInspector.INDEX);
    Files.writeString(index, Files.readString(index).replace(
        "\"model.norm.weight\" : \"model-00002-of-00002.safetensors\"",
        "\"model.norm.weight\" : \"model-00001-of-00002.safetensors\""));

    assertThatThrownBy(() -> CheckpointInspector.inspect(multi))
        .hasMessageContaining("model-00002-of-00002.safetensors, tensor 'model.norm.weight'")
        .hasMessageContaining("places it in model-00001-of-00002.safetensors");
  }

  @Test
  void index_that_points_outside_the_checkpoint_is_refused() throws IOException {
    Path multi = LlamaFixture.small().inFiles(2).write(tmp.resolve("escape"));
    Path index = multi.resolve(CheckpointInspector.INDEX);
    Files.writeString(index, Files.readString(index).replace(
        "\"model.norm.weight\" : \"model-00002-of-00002.safetensors\"",
        "\"model.norm.weight\" : \"../ckpt/model.safetensors\""));

    assertThatThrownBy(() -> CheckpointInspector.inspect(multi))
        .hasMessageContaining("weight_map names '../ckpt/model.safetensors', which is not a file in");
  }

  @Test
  void config_without_a_llama_key_is_refused() throws IOException {
    Path config = dir.resolve("config.json");
    Files.writeString(config, Files.readString(config).replace("\"num_hidden_layers\"", "\"layers\""));

    assertThat(inspectFails()).hasMessageContaining("config.json: missing 'num_hidden_layers'");
  }

  @Test
  void a_layer_beyond_the_configured_count_is_refused() throws IOException {
    Path twoLayers = LlamaFixture.small().withLayers(2).write(tmp.resolve("two"));
    Path config = twoLayers.resolve("config.json");
    Files.writeString(config, Files.readString(config).replace("\"num_hidden_layers\" : 2", "\"num_hidden_layers\" : 1"));

    assertThatThrownBy(() -> CheckpointInspector.inspect(twoLayers))
        .hasMessageContaining("tensor 'model.layers.1.input_layernorm.weight': layer 1 is beyond num_hidden_layers 1");
  }

  @Test
  void a_non_positive_dimension_in_config_is_refused() throws IOException {
    Path config = dir.resolve("config.json");
    Files.writeString(config, Files.readString(config).replace("\"num_hidden_layers\" : 1", "\"num_hidden_layers\" : 0"));

    assertThat(inspectFails()).hasMessageContaining("'num_hidden_layers' must be a positive integer, got 0");
  }

  @Test
  void a_directory_without_weights_is_refused() throws IOException {
    Files.delete(model());

    assertThat(inspectFails()).hasMessageContaining("no *.safetensors files");
  }
}
