package io.novacron.workflows.model.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CommandTemplateTest {
  static Map<String, String> values(int nodeRank) {
    Map<String, String> v = new HashMap<>();
    v.put("dir", "/data/models/my model");
    v.put("model", "llama");
    v.put("port", "8000");
    v.put("tp", "8");
    v.put("pp", "2");
    v.put("nnodes", "2");
    v.put("nodeRank", Integer.toString(nodeRank));
    v.put("masterAddr", "gpu-a");
    v.put("masterPort", "29500");
    v.put("headless", nodeRank > 0 ? "--headless" : "");
    v.put("loadFormat", "auto");
    return v;
  }

  @Test
  void vllm_default_carries_tp_pp_and_the_multi_node_settings() {
    List<String> head = CommandTemplate.render(CommandTemplate.VLLM_DEFAULT, values(0));

    assertThat(head).containsSubsequence("vllm", "serve", "/data/models/my model", "--tensor-parallel-size", "8",
        "--pipeline-parallel-size", "2", "--nnodes", "2", "--node-rank", "0", "--master-addr", "gpu-a");
    assertThat(head).doesNotContain("--headless", "");
    assertThat(CommandTemplate.render(CommandTemplate.VLLM_DEFAULT, values(1))).endsWith("--headless");
  }

  @Test
  void vllm_default_passes_the_load_format_of_the_files() {
    Map<String, String> v = values(0);
    v.put("loadFormat", ShardFormat.VLLM_SHARDED_STATE.vllmLoadFormat());

    assertThat(CommandTemplate.render(CommandTemplate.VLLM_DEFAULT, v)).containsSubsequence("--load-format", "sharded_state");
    assertThat(CommandTemplate.render(CommandTemplate.VLLM_DEFAULT, values(0))).containsSubsequence("--load-format", "auto");
    assertThat(CommandTemplate.formatProblem(CommandTemplate.VLLM_DEFAULT, ServingRuntime.VLLM,
        ShardFormat.VLLM_SHARDED_STATE)).isEmpty();
    assertThat(CommandTemplate.formatProblem(CommandTemplate.REFERENCE_DEFAULT, ServingRuntime.REFERENCE,
        ShardFormat.VLLM_SHARDED_STATE)).isEmpty();
  }

  @Test
  void a_value_with_spaces_stays_one_argument_and_no_shell_sees_it() {
    Map<String, String> v = values(0);
    v.put("dir", "/tmp/x; rm -rf /");

    assertThat(CommandTemplate.render("serve --model={dir}", v)).containsExactly("serve", "--model=/tmp/x; rm -rf /");
  }

  @Test
  void a_multi_word_value_expands_only_where_it_is_a_whole_word() {
    Map<String, String> v = new HashMap<>();
    v.put("java", "/usr/bin/java");
    v.put("loader", "-cp\u0000a.jar\u0000Main");
    v.put("port", "1");

    assertThat(CommandTemplate.render("{java} {loader} --port={port}", v))
        .containsExactly("/usr/bin/java", "-cp", "a.jar", "Main", "--port=1");
  }

  @Test
  void unknown_and_missing_variables_are_named() {
    assertThat(CommandTemplate.unknownVariables("vllm serve {dir} --x {tpp} {gpus}")).containsExactly("tpp");
    assertThatThrownBy(() -> CommandTemplate.render("serve {dir}", Map.of()))
        .hasMessageContaining("{dir} has no value");
  }
}
