package io.novacron.cli.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeployRequestBodyTest {
  @Test
  void flags_map_to_the_api_fields() {
    Map<String, String> options = new LinkedHashMap<>();
    options.put("name", "tiny");
    options.put("source", "gpu-a");
    options.put("checkpoint", "checkpoints/tiny");
    options.put("nodes", "gpu-a, gpu-b");
    options.put("runtime", "reference");
    options.put("port", "0");
    options.put("simulated-gpu-gib", "80");

    Map<String, Object> body = DeployRequestBody.from(options);

    assertThat(body).containsEntry("sourceNode", "gpu-a").containsEntry("nodes", List.of("gpu-a", "gpu-b"))
        .containsEntry("simulatedGpuMemoryGib", 80.0)
        .containsEntry("serving", Map.of("runtime", "REFERENCE", "port", 0L));
  }

  @Test
  void format_goes_into_the_body_as_given_and_is_absent_when_not_asked_for() {
    assertThat(DeployRequestBody.from(Map.of("format", "vllm-sharded-state")))
        .containsEntry("format", "vllm-sharded-state").doesNotContainKey("serving");
    assertThat(DeployRequestBody.from(Map.of("name", "tiny"))).doesNotContainKey("format");
    assertThat(DeployRequestBody.USAGE).contains("--format=novacron|vllm-sharded-state");
  }

  @Test
  void unknown_flags_and_bad_numbers_are_named() {
    assertThatThrownBy(() -> DeployRequestBody.from(Map.of("gpus", "8"))).hasMessageContaining("--gpus");
    assertThatThrownBy(() -> DeployRequestBody.from(Map.of("context", "8k"))).hasMessageContaining("--context must be");
  }
}
