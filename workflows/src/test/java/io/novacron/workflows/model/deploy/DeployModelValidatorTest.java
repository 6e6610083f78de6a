package io.novacron.workflows.model.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.novacron.workflows.FieldError;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeployModelValidatorTest {
  static DeployModelRequest valid() {
    return new DeployModelRequest("llama", "gpu-a", "/models/llama", "bf16", List.of("gpu-a", "gpu-b"), 8192, 4,
        null, 0, 0);
  }

  static List<String> fields(DeployModelRequest request) {
    return DeployModelValidator.validate(request).stream().map(FieldError::field).toList();
  }

  @Test
  void a_valid_request_has_no_errors_and_defaults_to_vllm() {
    assertThat(DeployModelValidator.validate(valid())).isEmpty();
    assertThat(valid().serving().runtime()).isEqualTo(ServingRuntime.VLLM);
    assertThat(valid().serving().commandTemplate()).startsWith("vllm serve {dir}");
  }

  @Test
  void every_bad_field_is_named() {
    DeployModelRequest bad = new DeployModelRequest("Llama!", null, " ", "fp4", List.of("gpu-a", "gpu-a"), -1, -2,
        new ServingSettings(ServingRuntime.VLLM, "vllm serve {dri}", 70000, -1), 80, -5);

    assertThat(fields(bad)).containsExactlyInAnyOrder("name", "sourceNode", "checkpoint", "dtype", "nodes[1]",
        "contextLength", "batch", "serving.port", "serving.readyTimeoutSeconds", "serving.commandTemplate",
        "simulatedGpuMemoryGib", "transferBandwidthCapBytesPerSec");
  }

  @Test
  void simulated_gpus_are_only_for_the_reference_loader() {
    DeployModelRequest reference = new DeployModelRequest("llama", "gpu-a", "ckpt", null, List.of("gpu-a"), 0, 0,
        ServingSettings.reference(0), 80, 0);

    assertThat(DeployModelValidator.validate(reference)).isEmpty();
    assertThat(DeployModelValidator.validate(new DeployModelRequest("llama", "gpu-a", "ckpt", null, List.of("gpu-a"),
        0, 0, null, 80, 0))).singleElement().satisfies(e -> assertThat(e.message()).contains("REFERENCE"));
  }

  @Test
  void a_missing_body_is_one_error() {
    assertThat(fields(null)).containsExactly("request");
  }

  static DeployModelRequest withFormat(String format, ServingSettings serving) {
    return new DeployModelRequest("llama", "gpu-a", "/models/llama", "bf16", List.of("gpu-a"), 0, 0, serving, 0, 0,
        format);
  }

  @Test
  void format_defaults_to_novacron_and_takes_either_label_in_any_case() {
    assertThat(valid().formatOrDefault()).isEqualTo(ShardFormat.NOVACRON);
    assertThat(DeployModelValidator.validate(withFormat("novacron", null))).isEmpty();
    assertThat(DeployModelValidator.validate(withFormat("vllm-sharded-state", null))).isEmpty();
    assertThat(DeployModelValidator.validate(withFormat("vllm-sharded-state", ServingSettings.reference(0)))).isEmpty();
    assertThat(withFormat("VLLM-Sharded-State", null).formatOrDefault()).isEqualTo(ShardFormat.VLLM_SHARDED_STATE);
  }

  @Test
  void an_unknown_format_is_named_with_the_allowed_values() {
    assertThat(DeployModelValidator.validate(withFormat("gguf", null))).singleElement().satisfies(e -> {
      assertThat(e.field()).isEqualTo("format");
      assertThat(e.message()).contains("novacron").contains("vllm-sharded-state").contains("'gguf'");
    });
  }

  @Test
  void a_template_that_would_not_load_vllm_files_is_refused() {
    ServingSettings vllm = new ServingSettings(ServingRuntime.VLLM, "vllm serve {dir} --port {port}", 8000, 0);
    ServingSettings reference = new ServingSettings(ServingRuntime.REFERENCE,
        "{java} {loader} --dir={dir} --ranks={ranks} --port={port}", 0, 0);
    ServingSettings explicit = new ServingSettings(ServingRuntime.VLLM,
        "vllm serve {dir} --port {port} --load-format sharded_state", 8000, 0);

    assertThat(DeployModelValidator.validate(withFormat("vllm-sharded-state", vllm))).singleElement()
        .satisfies(e -> {
          assertThat(e.field()).isEqualTo("serving.commandTemplate");
          assertThat(e.message()).contains("format vllm-sharded-state").contains("{loadFormat}");
        });
    assertThat(DeployModelValidator.validate(withFormat("vllm-sharded-state", reference))).singleElement()
        .satisfies(e -> assertThat(e.message()).contains("--format={format}"));
    assertThat(DeployModelValidator.validate(withFormat("vllm-sharded-state", explicit))).isEmpty();
    // Format novacron never needs either variable: templates from before the field stay valid.
    assertThat(DeployModelValidator.validate(withFormat(null, vllm))).isEmpty();
    assertThat(DeployModelValidator.validate(withFormat(null, reference))).isEmpty();
  }
}
