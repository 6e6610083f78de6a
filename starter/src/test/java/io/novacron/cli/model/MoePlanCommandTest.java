package io.novacron.cli.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code novacron model plan} for the mixture-of-experts models. */
class MoePlanCommandTest {
  /** An H200 has 141 GB, 131.3 GiB. */
  private static final String TWO_H200_NODES = "--nodes 2 --gpus-per-node 8 --gpu-memory-gib 131.3";
  @TempDir Path tmp;
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

  @Test
  void a_moe_checkpoint_is_planned_as_moe_not_as_a_dense_mlp() throws IOException {
    // DeepSeek-V3's layout at toy size: MLA attention, experts per layer after the first dense
    // one, and the multi-token-prediction layer (layer 4 of a 4-layer model) real checkpoints hold.
    Path dir = Files.createDirectories(tmp.resolve("deepseek"));
    Files.writeString(dir.resolve("config.json"), """
        {"model_type": "deepseek_v3", "vocab_size": 128, "hidden_size": 64,
         "intermediate_size": 128, "moe_intermediate_size": 32, "num_hidden_layers": 4,
         "num_attention_heads": 4, "num_key_value_heads": 4, "n_shared_experts": 1,
         "n_routed_experts": 8, "num_experts_per_tok": 2, "first_k_dense_replace": 1,
         "q_lora_rank": 32, "kv_lora_rank": 16, "qk_nope_head_dim": 16,
         "qk_rope_head_dim": 8, "v_head_dim": 16, "tie_word_embeddings": false,
         "num_nextn_predict_layers": 1, "torch_dtype": "bfloat16"}
        """);
    java.util.Map<String, long[]> tensors = new java.util.LinkedHashMap<>();
    tensors.put("model.embed_tokens.weight", new long[] {128, 64});
    tensors.put("model.norm.weight", new long[] {64});
    tensors.put("lm_head.weight", new long[] {128, 64});
    for (int layer = 0; layer <= 4; layer++) {
      tensors.put("model.layers." + layer + ".input_layernorm.weight", new long[] {64});
      tensors.put("model.layers." + layer + ".post_attention_layernorm.weight", new long[] {64});
      tensors.put("model.layers." + layer + ".self_attn.kv_a_proj_with_mqa.weight", new long[] {24, 64});
      String mlp = "model.layers." + layer + ".mlp.";
      if (layer == 0) {
        // The first dense layer: intermediate_size 128.
        putMlp(tensors, mlp, 128);
      } else if (layer < 4) {
        // Strict inspection wants the router, every routed expert and the shared expert, each whole.
        tensors.put(mlp + "gate.weight", new long[] {8, 64});
        for (int e = 0; e < 8; e++) {
          putMlp(tensors, mlp + "experts." + e + ".", 32);
        }
        putMlp(tensors, mlp + "shared_experts.", 32);
      }
    }
    writeBf16Zeros(dir.resolve("model.safetensors"), tensors);

    int exit = run("--checkpoint " + dir + " " + TWO_H200_NODES);

    assertThat(exit).as(out()).isEqualTo(ModelPlanCommand.EXIT_FITS);
    assertThat(out()).contains("8 routed experts top-2").contains("FITS");
  }

  private static void putMlp(java.util.Map<String, long[]> tensors, String prefix, long width) {
    tensors.put(prefix + "gate_proj.weight", new long[] {width, 64});
    tensors.put(prefix + "up_proj.weight", new long[] {width, 64});
    tensors.put(prefix + "down_proj.weight", new long[] {64, width});
  }

  /** A safetensors file of BF16 zeros with these names and shapes. */
  private static void writeBf16Zeros(Path file, java.util.Map<String, long[]> tensors) throws IOException {
    StringBuilder json = new StringBuilder("{");
    long offset = 0;
    for (var t : tensors.entrySet()) {
      long bytes = 2;
      for (long d : t.getValue()) {
        bytes *= d;
      }
      json.append(json.length() > 1 ? "," : "").append('"').append(t.getKey()).append("\":{\"dtype\":\"BF16\",")
          .append("\"shape\":").append(java.util.Arrays.toString(t.getValue()).replace(" ", ""))
          .append(",\"data_offsets\":[").append(offset).append(',').append(offset + bytes).append("]}");
      offset += bytes;
    }
    byte[] header = json.append('}').toString().getBytes(StandardCharsets.UTF_8);
    ByteBuffer buffer = ByteBuffer.allocate((int) (8 + header.length + offset)).order(ByteOrder.LITTLE_ENDIAN);
    buffer.putLong(header.length).put(header);
    Files.write(file, buffer.array());
  }
}
