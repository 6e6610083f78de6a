package io.novacron.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import io.novacron.workflows.model.ModelShape;
import io.novacron.workflows.model.WeightDtype;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointInspectorTest {
  @TempDir Path tmp;

  @Test
  void counts_parameters_and_bytes_per_layer_and_in_total_for_a_bf16_checkpoint() throws IOException {
    LlamaFixture fixture = LlamaFixture.small();
    ModelShape shape = fixture.shape();

    CheckpointInspection inspection = CheckpointInspector.inspect(fixture.write(tmp.resolve("bf16")));

    assertThat(inspection.totalParameters()).isEqualTo(shape.parameterCount());
    assertThat(inspection.totalBytes()).isEqualTo(2 * shape.parameterCount());
    assertThat(inspection.layers()).hasSize(4).allSatisfy(layer -> {
      assertThat(layer.tensors()).isEqualTo(9);
      assertThat(layer.parameters()).isEqualTo(shape.linearParametersPerLayer() + shape.normParametersPerLayer());
      assertThat(layer.bytes()).isEqualTo(2 * layer.parameters());
    });
    assertThat(inspection.layers()).extracting(TensorGroupStats::layer).containsExactly(0, 1, 2, 3);
    assertThat(inspection.outsideLayers().parameters()).isEqualTo(2L * 96 * 64 + 64);
    assertThat(inspection.outsideLayers().tensors()).isEqualTo(3);
    assertThat(inspection.bytesByDtype()).containsOnlyKeys(SafetensorsDtype.BF16);
    assertThat(inspection.files()).hasSize(1);
    assertThat(inspection.files().get(0).metadata()).containsEntry("format", "pt");
  }

  @Test
  void reads_the_llama_keys_of_config_json() throws IOException {
    CheckpointInspection inspection = CheckpointInspector.inspect(LlamaFixture.small().write(tmp.resolve("c")));

    ModelConfig config = inspection.config();
    assertThat(config.shape()).isEqualTo(new ModelShape("c", 4, 64, 8, 2, 128, 96, 8, false));
    assertThat(config.modelType()).isEqualTo("llama");
    assertThat(config.torchDtype()).isEqualTo("bfloat16");
    assertThat(config.quantMethod()).isNull();
    assertThat(config.weightDtype()).isEqualTo(WeightDtype.BF16);
  }

  @Test
  void follows_the_index_of_a_multi_file_checkpoint() throws IOException {
    LlamaFixture fixture = LlamaFixture.small().inFiles(3);

    CheckpointInspection inspection = CheckpointInspector.inspect(fixture.write(tmp.resolve("multi")));

    assertThat(inspection.files()).extracting(h -> h.file().getFileName().toString()).containsExactly(
        "model-00001-of-00003.safetensors", "model-00002-of-00003.safetensors",
        "model-00003-of-00003.safetensors");
    assertThat(inspection.totalParameters()).isEqualTo(fixture.shape().parameterCount());
    assertThat(inspection.tensors()).hasSize(3 + 4 * 9);
    assertThat(inspection.tensors().get(0).name()).isEqualTo("model.embed_tokens.weight");
  }

  @Test
  void counts_an_fp8_checkpoint_with_its_scales_by_dtype() throws IOException {
    LlamaFixture fixture = LlamaFixture.small().fp8Weights();
    ModelShape shape = fixture.shape();

    CheckpointInspection inspection = CheckpointInspector.inspect(fixture.write(tmp.resolve("fp8")));

    assertThat(inspection.totalParameters()).isEqualTo(fixture.storedParameters());
    assertThat(inspection.bytesByDtype().get(SafetensorsDtype.F8_E4M3))
        .isEqualTo(shape.linearParametersPerLayer() * shape.layers());
    assertThat(inspection.bytesByDtype().get(SafetensorsDtype.BF16))
        .isEqualTo(2 * (2L * 96 * 64 + 64 + shape.normParametersPerLayer() * shape.layers()));
    assertThat(inspection.bytesByDtype()).containsKey(SafetensorsDtype.F32);
    assertThat(inspection.config().quantMethod()).isEqualTo("fbgemm_fp8");
    assertThat(inspection.config().weightDtype()).isEqualTo(WeightDtype.FP8);
  }

  @Test
  void a_tied_checkpoint_has_no_lm_head() throws IOException {
    LlamaFixture fixture = LlamaFixture.small().tiedEmbeddings();

    CheckpointInspection inspection = CheckpointInspector.inspect(fixture.write(tmp.resolve("tied")));

    assertThat(inspection.totalParameters()).isEqualTo(fixture.shape().parameterCount());
    assertThat(inspection.tensors()).noneMatch(t -> t.name().equals("lm_head.weight"));
    assertThat(inspection.config().tieWordEmbeddings()).isTrue();
  }
}
