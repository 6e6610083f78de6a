package io.novacron.workflows.model.deploy;

import io.novacron.workflows.model.LayerRange;
import java.util.List;

/**
 * Shard a checkpoint on its node for a plan's layout.
 *
 * @param deployment deployment name: the shards go to {@code shards/<deployment>} in the agent's
 *     data directory, replacing an earlier revision's
 * @param checkpoint the checkpoint directory (as in {@link DeployModelRequest#checkpoint()})
 * @param tp tensor-parallel degree
 * @param stages each pipeline stage's layers
 * @param format the files to write; null (a request from before the field) for
 *     {@link ShardFormat#NOVACRON}. {@link ShardFormat#VLLM_SHARDED_STATE} takes one stage only.
 */
public record ShardRequest(String deployment, String checkpoint, int tp, List<LayerRange> stages,
    ShardFormat format) {
  public ShardRequest {
    stages = List.copyOf(stages);
    format = format == null ? ShardFormat.NOVACRON : format;
  }
}
