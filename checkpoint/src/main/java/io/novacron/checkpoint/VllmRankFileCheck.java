package io.novacron.checkpoint;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks that a {@code model-rank-{r}-part-0.safetensors} file written by
 * {@link VllmShardedStateWriter} holds exactly the parameters vLLM's TP rank {@code r} expects for
 * a config: the same names and shapes as {@link VllmShardedState#rankParams}, nothing more (vLLM
 * fails on a name its model lacks) and nothing less (it fails with "Missing keys"). Headers only:
 * the bytes are the SHA-256's business.
 *
 * <p>The TP size comes from the file's {@code novacron.tp_size} metadata: a node holds only its
 * own ranks' files, and the file is the one place that says what it was cut for.
 */
public final class VllmRankFileCheck {
  static final String TP_RANK = "novacron.tp_rank";
  static final String TP_SIZE = "novacron.tp_size";

  /** What a checked file holds. */
  public record Checked(int rank, int tp, int tensors, long dataBytes, String source) {}

  private VllmRankFileCheck() {}

  /**
   * @param rank the TP rank the file's name says it holds
   * @throws CheckpointException naming the file and the first tensor that is missing, extra or
   *     shaped otherwise, or the metadata that is absent or disagrees with the name
   */
  public static Checked check(ModelConfig config, SafetensorsHeader header, int rank) throws IOException {
    Path file = header.file();
    int tp = metadataInt(header, TP_SIZE);
    int written = metadataInt(header, TP_RANK);
    if (written != rank) {
      throw new CheckpointException(file, "holds TP rank " + written + " (" + TP_RANK + "), its name says " + rank);
    }
    List<VllmShardedState.Param> expected;
    try {
      expected = VllmShardedState.rankParams(config, tp, rank, sources(config, header));
    } catch (IllegalArgumentException e) {
      throw new CheckpointException(file, "cut for TP " + tp + ", which the config beside it does not allow: "
          + e.getMessage());
    }
    Map<String, TensorEntry> present = new HashMap<>();
    long bytes = 0;
    for (TensorEntry t : header.tensors()) {
      present.put(t.name(), t);
      bytes += t.byteLength();
    }
    Set<String> wanted = new HashSet<>();
    for (VllmShardedState.Param param : expected) {
      wanted.add(param.name());
      TensorEntry t = present.get(param.name());
      if (t == null) {
        throw new CheckpointException(file, param.name(), "missing: vLLM's rank " + rank + " of TP " + tp
            + " needs it (its loader fails with \"Missing keys\")");
      }
      if (!t.shape().equals(param.shape())) {
        throw new CheckpointException(file, param.name(), "shape " + t.shape() + ", vLLM's rank " + rank
            + " of TP " + tp + " has " + param.shape());
      }
    }
    for (TensorEntry t : header.tensors()) {
      if (!wanted.contains(t.name())) {
        throw new CheckpointException(file, t.name(), "not a parameter of vLLM's rank " + rank + " of TP " + tp
            + " (its loader fails on an unknown name)");
      }
    }
    return new Checked(rank, tp, header.tensors().size(), bytes, header.metadata().get("novacron.source"));
  }

  /**
   * The checkpoint names {@code rankParams} maps from: every weight a Llama has, plus each bias
   * whose fused parameter the file holds (biases are optional; weights are not, so that a file
   * lacking one fails as missing rather than passing as bias-free).
   */
  private static Set<String> sources(ModelConfig config, SafetensorsHeader header) {
    Set<String> names = new HashSet<>();
    for (TensorEntry t : header.tensors()) {
      names.add(t.name().replace(".qkv_proj.", ".q_proj.").replace(".gate_up_proj.", ".gate_proj."));
    }
    for (int layer = 0; layer < config.layers(); layer++) {
      names.add("model.layers." + layer + ".self_attn.q_proj.weight");
      names.add("model.layers." + layer + ".mlp.gate_proj.weight");
    }
    return names;
  }

  private static int metadataInt(SafetensorsHeader header, String key) throws CheckpointException {
    String value = header.metadata().get(key);
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new CheckpointException(header.file(), "no " + key + " in __metadata__ (was '" + value
          + "'): not written by NovaCron's vLLM sharded_state writer");
    }
  }
}
