package io.novacron.cli.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@code novacron model plan} for the mixture-of-experts models. */
class MoePlanCommandTest {
  /** An H200 has 141 GB, 131.3 GiB. */
  private static final String TWO_H200_NODES = "--nodes 2 --gpus-per-node 8 --gpu-memory-gib 131.3";
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String commandLine) {
    return ModelPlanCommand.run(commandLine.split(" +"), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void deepseek_v3_fp8_on_two_h200_nodes_prints_tp_ep_and_the_rejected_tp16() {
    int exit = run("model plan --model deepseek-v3 --dtype fp8 " + TWO_H200_NODES);

    assertThat(exit).isEqualTo(ModelPlanCommand.EXIT_FITS);
    assertThat(out()).contains("671.0 B parameters (37.6 B active)")
        .contains("FITS: TP 8 / EP 8 x PP 1, 2 replica(s) of 8 GPUs")
        .contains("ep          8 (32 routed experts per GPU per MoE layer)")
        .contains("TP/EP 16 x PP 1: fits, but 16 GPUs per replica give 1 replica(s)");
  }

  @Test
  void deepseek_v3_bf16_on_two_h100_nodes_does_not_fit() {
    int exit = run("--model deepseek-v3 --dtype bf16 --nodes 2 --gpus-per-node 8 --gpu-memory-gib 80");

    assertThat(exit).isEqualTo(ModelPlanCommand.EXIT_DOES_NOT_FIT);
    assertThat(out()).contains("DOES NOT FIT: closest is TP 16 / EP 16 x PP 1, short");
  }

  @Test
  void qwen3_json_names_ep_and_active_parameters() throws Exception {
    int exit = run("--model qwen3-235b-a22b --dtype bf16 --nodes 1 --gpus-per-node 8 --gpu-memory-gib 80 --json");

    assertThat(exit).isEqualTo(ModelPlanCommand.EXIT_FITS);
    JsonNode plan = new ObjectMapper().readTree(out());
    assertThat(plan.get("tp").asInt()).isEqualTo(8);
    assertThat(plan.get("ep").asInt()).isEqualTo(8);
    assertThat(plan.get("expertsPerGpu").asInt()).isEqualTo(16);
    assertThat(plan.path("model").get("activeParameters").asLong()).isBetween(21_800_000_000L, 22_300_000_000L);
  }

  @Test
  void usage_lists_the_moe_names() {
    run("--model nope --dtype fp8 " + TWO_H200_NODES);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("deepseek-v3").contains("qwen3-235b-a22b");
  }
}
