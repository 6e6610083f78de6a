package io.novacron.gpu.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.novacron.workflows.model.deploy.CommandTemplate;
import io.novacron.workflows.model.deploy.LaunchRequest;
import io.novacron.workflows.model.deploy.ServingRuntime;
import io.novacron.workflows.model.deploy.ShardFormat;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The argument lists the default templates give each runtime and format. */
class ServingCommandTest {
  static final LoaderCommand LOADER = new LoaderCommand("/usr/bin/java", List.of("-cp", "agent.jar", "Loader"));

  static LaunchRequest launch(ServingRuntime runtime, int tp, int pp, ShardFormat format) {
    return new LaunchRequest("llama", "deploy-1", "gpu-a", 0, runtime, CommandTemplate.defaultFor(runtime),
        "models/llama", List.of(0, 1), List.of(0, 1), tp, pp, 1, 0, "gpu-a", 29500, 8000, 1, "llama", format);
  }

  static List<String> command(LaunchRequest r) {
    return CommandTemplate.render(r.commandTemplate(), ServingSupervisor.variables(r, Path.of("/data/models/llama"),
        8000, LOADER));
  }

  @Test
  void vllm_loads_sharded_state_files_with_the_plans_tp_and_one_stage() {
    List<String> vllm = command(launch(ServingRuntime.VLLM, 2, 1, ShardFormat.VLLM_SHARDED_STATE));

    assertThat(vllm).containsSubsequence("vllm", "serve", "/data/models/llama", "--tensor-parallel-size", "2",
        "--pipeline-parallel-size", "1", "--load-format", "sharded_state");
  }

  @Test
  void novacron_files_keep_vllms_default_load_format() {
    assertThat(command(launch(ServingRuntime.VLLM, 2, 2, ShardFormat.NOVACRON)))
        .containsSubsequence("--pipeline-parallel-size", "2", "--load-format", "auto");
    // A launch from before the field (format null) is format novacron.
    assertThat(command(launch(ServingRuntime.VLLM, 2, 1, null))).containsSubsequence("--load-format", "auto");
  }

  @Test
  void the_reference_loader_is_told_the_format() {
    assertThat(command(launch(ServingRuntime.REFERENCE, 2, 1, ShardFormat.VLLM_SHARDED_STATE)))
        .containsExactly("/usr/bin/java", "-cp", "agent.jar", "Loader", "--dir=/data/models/llama", "--ranks=0,1",
            "--port=8000", "--format=vllm-sharded-state");
    assertThat(command(launch(ServingRuntime.REFERENCE, 1, 2, ShardFormat.NOVACRON))).endsWith("--format=novacron");
  }

  @Test
  void sharded_state_with_a_pipeline_is_refused_naming_the_format() {
    assertThatThrownBy(() -> command(launch(ServingRuntime.VLLM, 2, 2, ShardFormat.VLLM_SHARDED_STATE)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("format vllm-sharded-state")
        .hasMessageContaining("PP 2");
  }
}
