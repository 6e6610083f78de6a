package io.novacron.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.novacron.workflows.model.KnownMoeModels;
import io.novacron.workflows.model.MoeModelShape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The MoE keys of the published DeepSeek-V3 and Qwen3-235B-A22B configs give the known shapes. */
class MoeConfigReaderTest {
  @TempDir Path tmp;

  /** The keys of huggingface.co/deepseek-ai/DeepSeek-V3/blob/main/config.json that matter here. */
  static final String DEEPSEEK_V3 = """
      {"model_type": "deepseek_v3", "vocab_size": 129280, "hidden_size": 7168,
       "intermediate_size": 18432, "moe_intermediate_size": 2048, "num_hidden_layers": 61,
       "num_nextn_predict_layers": 1, "num_attention_heads": 128, "num_key_value_heads": 128,
       "n_shared_experts": 1, "n_routed_experts": 256, "num_experts_per_tok": 8,
       "first_k_dense_replace": 3, "q_lora_rank": 1536, "kv_lora_rank": 512,
       "qk_nope_head_dim": 128, "qk_rope_head_dim": 64, "v_head_dim": 128,
       "tie_word_embeddings": false,
       "quantization_config": {"quant_method": "fp8", "weight_block_size": [128, 128]}}
      """;

  /** The keys of huggingface.co/Qwen/Qwen3-235B-A22B/blob/main/config.json that matter here. */
  static final String QWEN3_235B = """
      {"model_type": "qwen3_moe", "vocab_size": 151936, "hidden_size": 4096,
       "intermediate_size": 12288, "moe_intermediate_size": 1536, "num_hidden_layers": 94,
       "num_attention_heads": 64, "num_key_value_heads": 4, "head_dim": 128,
       "num_experts": 128, "num_experts_per_tok": 8, "decoder_sparse_step": 1,
       "mlp_only_layers": [], "tie_word_embeddings": false}
      """;

  private Path write(String json) throws IOException {
    Path file = tmp.resolve("config.json");
    Files.writeString(file, json);
    return file;
  }

  @Test
  void deepseek_v3_config_reads_as_the_known_shape() throws IOException {
    MoeModelShape read = MoeConfigReader.read(write(DEEPSEEK_V3), "deepseek-v3");
    assertThat(read).isEqualTo(KnownMoeModels.find("deepseek-v3").orElseThrow());
    assertThat(MoeConfigReader.isMoe(write(DEEPSEEK_V3))).isTrue();
  }

  @Test
  void qwen3_235b_config_reads_as_the_known_shape() throws IOException {
    MoeModelShape read = MoeConfigReader.read(write(QWEN3_235B), "qwen3-235b-a22b");
    assertThat(read).isEqualTo(KnownMoeModels.find("qwen3-235b-a22b").orElseThrow());
  }

  @Test
  void a_dense_config_is_not_moe_and_is_refused_by_name() throws IOException {
    Path dense = write("""
        {"model_type": "llama", "hidden_size": 64, "num_attention_heads": 4,
         "intermediate_size": 128, "num_hidden_layers": 2, "vocab_size": 100}
        """);
    assertThat(MoeConfigReader.isMoe(dense)).isFalse();
    assertThatThrownBy(() -> MoeConfigReader.read(dense, "d"))
        .hasMessageContaining("n_routed_experts").hasMessageContaining("num_experts");
  }

  @Test
  void bad_moe_keys_name_the_key() throws IOException {
    Path bad = write(DEEPSEEK_V3.replace("\"num_experts_per_tok\": 8", "\"num_experts_per_tok\": 0"));
    assertThatThrownBy(() -> MoeConfigReader.read(bad, "x")).hasMessageContaining("num_experts_per_tok");
    Path sparse = write(QWEN3_235B.replace("\"mlp_only_layers\": []", "\"mlp_only_layers\": [0]"));
    assertThatThrownBy(() -> MoeConfigReader.read(sparse, "x")).hasMessageContaining("mlp_only_layers");
  }
}
