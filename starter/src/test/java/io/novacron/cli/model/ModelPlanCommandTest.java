package io.novacron.cli.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelPlanCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ONE_H100_NODE = "--nodes 1 --gpus-per-node 8 --gpu-memory-gib 80";

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

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void llama_405b_fp8_fits_one_node_with_tp8() {
    int exit = run("--model llama-3.1-405b --dtype fp8 " + ONE_H100_NODE);

    assertThat(exit).isZero();
    assertThat(out()).contains("FITS: TP 8 x PP 1").contains("tp          8\n").contains("pp          1\n")
        .containsPattern("memory/GPU  5\\d\\.\\d GiB \\(weights 47\\.\\d");
  }

  @Test
  void llama_405b_bf16_on_two_nodes_is_tp8_by_pp2() {
    int exit = run("model plan --model llama-3.1-405b --dtype bf16 --nodes 2 --gpus-per-node 8 --gpu-memory-gib 80");

    assertThat(exit).isZero();
    assertThat(out()).contains("FITS: TP 8 x PP 2").contains("stage 0   layers 0-62, embeddings")
        .contains("stage 1   layers 63-125, norm, lm_head");
  }

  @Test
  void llama_405b_bf16_on_one_node_does_not_fit_and_says_by_how_much() {
    int exit = run("--model llama-3.1-405b --dtype bf16 " + ONE_H100_NODE);

    assertThat(exit).isEqualTo(ModelPlanCommand.EXIT_DOES_NOT_FIT);
    assertThat(out()).containsPattern("DOES NOT FIT: closest is TP 8 x PP 1, short 3\\d\\.\\d GiB per GPU");
  }

  @Test
  void json_carries_the_layout_and_memory_per_gpu() throws IOException {
    int exit = run("--model=llama-3.1-405b --dtype=bf16 --nodes=1 --gpus-per-node=8 --gpu-memory-gib=80 --json");

    JsonNode plan = JSON.readTree(out());
    assertThat(exit).isEqualTo(2);
    assertThat(plan.get("fits").asBoolean()).isFalse();
    assertThat(plan.get("tp").asInt()).isEqualTo(8);
    assertThat(plan.get("shortfallGibPerGpu").asDouble()).isBetween(30.0, 40.0);
    assertThat(plan.at("/memoryPerGpu/totalBytes").asLong())
        .isEqualTo(plan.get("budgetBytesPerGpu").asLong() + plan.get("shortfallBytesPerGpu").asLong());
    assertThat(plan.get("rejected").size()).isPositive();
    assertThat(plan.get("ranks").size()).isZero();
  }

  @Test
  void usage_errors_name_the_flag() {
    assertThat(run("--model llama-3.1-405b --dtype fp8 --gpus-per-node 8 --gpu-memory-gib 80")).isEqualTo(64);
    assertThat(err()).contains("--nodes is required");

    err.reset();
    assertThat(run("--model llama-3.1-405b --dtype fp4 " + ONE_H100_NODE)).isEqualTo(64);
    assertThat(err()).contains("--dtype: unknown dtype 'fp4'");

    err.reset();
    assertThat(run("--model llama-3.1-405b --dtype fp8 --nodes 1 --gpus-per-node eight --gpu-memory-gib 80")).isEqualTo(64);
    assertThat(err()).contains("--gpus-per-node must be a positive integer, got 'eight'");

    err.reset();
    assertThat(run("--model llama-3.1-405b --dtype fp8 --speed 3 " + ONE_H100_NODE)).isEqualTo(64);
    assertThat(err()).contains("unknown flag --speed");

    err.reset();
    assertThat(run("--model llama-9 --dtype fp8 " + ONE_H100_NODE)).isEqualTo(64);
    assertThat(err()).contains("--model: unknown model 'llama-9'").contains("llama-3.1-405b");

    err.reset();
    assertThat(run("--model llama-3.1-8b " + ONE_H100_NODE)).isEqualTo(64);
    assertThat(err()).contains("--dtype is required with --model");

    err.reset();
    assertThat(run("--model llama-3.1-8b --dtype bf16 --utilization 1.5 " + ONE_H100_NODE)).isEqualTo(64);
    assertThat(err()).contains("--utilization must be in (0, 1], got '1.5'");
    assertThat(out()).isEmpty();
  }

  @Test
  void plans_from_a_checkpoint_in_the_dtype_it_is_stored_in() throws IOException {
    Path checkpoint = tinyCheckpoint(tmp.resolve("tiny"));

    int exit = run("--checkpoint " + checkpoint + " --nodes 1 --gpus-per-node 2 --gpu-memory-gib 24 --json");

    JsonNode plan = JSON.readTree(out());
    assertThat(exit).isZero();
    assertThat(plan.get("dtype").asText()).isEqualTo("fp8");
    assertThat(plan.at("/model/layers").asInt()).isEqualTo(1);
    assertThat(plan.at("/checkpoint/tensors").asInt()).isEqualTo(12);
    assertThat(plan.at("/checkpoint/bytesByDtype/F8_E4M3").asLong()).isEqualTo(144);
    assertThat(plan.get("tp").asInt()).isEqualTo(1);
    assertThat(plan.get("replicas").asInt()).isEqualTo(2);
  }

  @Test
  void a_bad_checkpoint_exits_65_naming_the_file() throws IOException {
    Path checkpoint = tinyCheckpoint(tmp.resolve("bad"));
    Files.write(checkpoint.resolve("model.safetensors"), new byte[] {9, 0, 0, 0, 0, 0, 0, 0, '{'});

    int exit = run("--checkpoint " + checkpoint + " " + ONE_H100_NODE);

    assertThat(exit).isEqualTo(ModelPlanCommand.EXIT_BAD_CHECKPOINT);
    assertThat(err()).contains("bad checkpoint").contains("model.safetensors").contains("malformed header");
  }

  /**
   * One layer of FP8 (hidden 4, MLP 8, 2 heads of 2, 1 KV head, vocab 16), every tensor the config
   * implies present: the inspector refuses a checkpoint that lacks one.
   */
  private static Path tinyCheckpoint(Path dir) throws IOException {
    Files.createDirectories(dir);
    ObjectNode config = JSON.createObjectNode();
    config.put("hidden_size", 4).put("intermediate_size", 8).put("num_hidden_layers", 1)
        .put("num_attention_heads", 2).put("num_key_value_heads", 1).put("vocab_size", 16)
        .put("torch_dtype", "bfloat16");
    config.putObject("quantization_config").put("quant_method", "fp8");
    Files.writeString(dir.resolve("config.json"), config.toString());
    String p = "model.layers.0.";
    Object[][] tensors = {
        {"model.embed_tokens.weight", "BF16", 16, 4}, {p + "input_layernorm.weight", "BF16", 4},
        {p + "self_attn.q_proj.weight", "F8_E4M3", 4, 4}, {p + "self_attn.k_proj.weight", "F8_E4M3", 2, 4},
        {p + "self_attn.v_proj.weight", "F8_E4M3", 2, 4}, {p + "self_attn.o_proj.weight", "F8_E4M3", 4, 4},
        {p + "post_attention_layernorm.weight", "BF16", 4}, {p + "mlp.gate_proj.weight", "F8_E4M3", 8, 4},
        {p + "mlp.up_proj.weight", "F8_E4M3", 8, 4}, {p + "mlp.down_proj.weight", "F8_E4M3", 4, 8},
        {"model.norm.weight", "BF16", 4}, {"lm_head.weight", "BF16", 16, 4}};
    writeSafetensors(dir.resolve("model.safetensors"), tensors);
    return dir;
  }

  /** Rows of {name, dtype, dims...} as one safetensors file of zeros. */
  private static void writeSafetensors(Path file, Object[][] tensors) throws IOException {
    ObjectNode header = JSON.createObjectNode();
    long offset = 0;
    for (Object[] t : tensors) {
      ObjectNode entry = header.putObject((String) t[0]).put("dtype", (String) t[1]);
      long bytes = t[1].equals("BF16") ? 2 : 1;
      var shape = entry.putArray("shape");
      for (int i = 2; i < t.length; i++) {
        shape.add((int) t[i]);
        bytes *= (int) t[i];
      }
      entry.putArray("data_offsets").add(offset).add(offset + bytes);
      offset += bytes;
    }
    byte[] json = header.toString().getBytes(StandardCharsets.UTF_8);
    ByteBuffer buffer = ByteBuffer.allocate(8 + json.length + (int) offset).order(ByteOrder.LITTLE_ENDIAN);
    buffer.putLong(json.length).put(json);
    Files.write(file, buffer.array());
  }

  /**
   * The hostile cases of issue 20 each print one "bad checkpoint" line naming the problem and exit
   * 65: no stack trace, no plan, no negative size.
   */
  @Test
  void hostile_checkpoints_print_one_error_line_and_exit_65() throws IOException {
    java.util.Map<String, String> cases = new java.util.LinkedHashMap<>();
    cases.put("hidden_size", "hidden_size 1000000000 is outside 1..131072");
    cases.put("vocab_size", "vocab_size 2147483647 is outside 1..4194304");
    cases.put("num_hidden_layers", "missing: config.json (2 layers) implies it");
    cases.put("intermediate_size", "contradicts config.json");
    cases.put("layer_name", "layer number over 2^31 is beyond num_hidden_layers 1");
    cases.put("nul_padding", "malformed header: not JSON");
    cases.put("outside_link", "outside the checkpoint directory");
    for (var c : cases.entrySet()) {
      Path checkpoint = tinyCheckpoint(tmp.resolve(c.getKey()));
      ObjectNode config = (ObjectNode) JSON.readTree(checkpoint.resolve("config.json").toFile());
      switch (c.getKey()) {
        case "hidden_size" -> config.put("hidden_size", 1_000_000_000);
        case "vocab_size" -> config.put("vocab_size", Integer.MAX_VALUE);
        case "num_hidden_layers" -> config.put("num_hidden_layers", 2);
        case "intermediate_size" -> config.put("intermediate_size", 16);
        case "layer_name" -> writeSafetensors(checkpoint.resolve("extra.safetensors"),
            new Object[][] {{"model.layers.99999999999.x", "BF16", 1}});
        case "nul_padding" -> {
          byte[] good = Files.readAllBytes(checkpoint.resolve("model.safetensors"));
          ByteBuffer b = ByteBuffer.wrap(good).order(ByteOrder.LITTLE_ENDIAN);
          int length = (int) b.getLong(0);
          // The header grows by two NULs; the data section loses its last two bytes to them.
          b.putLong(0, length + 2);
          System.arraycopy(new byte[2], 0, good, 8 + length, 2);
          Files.write(checkpoint.resolve("model.safetensors"), java.util.Arrays.copyOf(good, good.length));
        }
        case "outside_link" -> {
          Path outside = Files.move(checkpoint.resolve("model.safetensors"), tmp.resolve("elsewhere"));
          Files.createSymbolicLink(checkpoint.resolve("model.safetensors"), outside);
        }
        default -> throw new AssertionError(c.getKey());
      }
      Files.writeString(checkpoint.resolve("config.json"), config.toString());
      out.reset();
      err.reset();

      int exit = run("--checkpoint " + checkpoint + " " + ONE_H100_NODE);

      assertThat(exit).as(c.getKey()).isEqualTo(ModelPlanCommand.EXIT_BAD_CHECKPOINT);
      assertThat(err().lines().toList()).as(c.getKey()).hasSize(1);
      assertThat(err()).as(c.getKey()).startsWith("novacron model plan: bad checkpoint: ")
          .contains(c.getValue()).doesNotContain("Exception");
      assertThat(out()).as(c.getKey()).isEmpty();
    }
  }
}
