package io.novacron.workflows.model.deploy;

import java.util.List;

/**
 * A model deployment: a checkpoint on a source node, sharded for a plan and served on target nodes.
 *
 * <pre>
 * {"name":"llama-8b","sourceNode":"gpu-a","checkpoint":"/models/Llama-3.1-8B","dtype":"bf16",
 *  "nodes":["gpu-a","gpu-b"],"contextLength":8192,"batch":4,
 *  "serving":{"runtime":"VLLM","port":8000},"format":"vllm-sharded-state"}
 * </pre>
 *
 * @param name deployment name (lower-case letters, digits, '-'): the directory on every node, so a
 *     later revision of the same name sends only the shards that changed
 * @param sourceNode node whose GPU agent reads the checkpoint and shards it
 * @param checkpoint the checkpoint directory on the source node: absolute, or relative to that GPU
 *     agent's data directory
 * @param dtype weight type to plan for ({@code bf16}, {@code fp8}, {@code int4}); null for what the
 *     checkpoint's config says
 * @param nodes target GPU nodes, as their GPU agents announced them
 * @param contextLength tokens per sequence the KV cache must hold; 0 for 8192
 * @param batch sequences at full context each replica must hold; 0 for 1
 * @param serving how each node serves; null for vLLM on port 8000
 * @param simulatedGpuMemoryGib for the reference loader on nodes without GPUs: plan each such node
 *     as one GPU of this many GiB (0: nodes without GPUs are not planned on). Never allowed with vLLM.
 * @param transferBandwidthCapBytesPerSec cap on each shard transfer's bytes per second; 0 for none
 * @param format the files every node gets ({@link ShardFormat}): {@code novacron} (null: the
 *     default) or {@code vllm-sharded-state}; a string so that a bad value is a 400 naming it
 */
public record DeployModelRequest(
    String name, String sourceNode, String checkpoint, String dtype, List<String> nodes,
    int contextLength, int batch, ServingSettings serving, double simulatedGpuMemoryGib,
    long transferBandwidthCapBytesPerSec, String format) {

  public DeployModelRequest {
    nodes = nodes == null ? List.of() : List.copyOf(nodes);
    serving = serving == null ? ServingSettings.defaults() : serving;
  }

  /** A request in format {@code novacron}, as before the field existed. */
  public DeployModelRequest(String name, String sourceNode, String checkpoint, String dtype, List<String> nodes,
      int contextLength, int batch, ServingSettings serving, double simulatedGpuMemoryGib,
      long transferBandwidthCapBytesPerSec) {
    this(name, sourceNode, checkpoint, dtype, nodes, contextLength, batch, serving, simulatedGpuMemoryGib,
        transferBandwidthCapBytesPerSec, null);
  }

  /**
   * The format asked for.
   *
   * @throws IllegalArgumentException for a value the validator refuses
   */
  public ShardFormat formatOrDefault() {
    return ShardFormat.parse(format);
  }

  public int contextOrDefault() {
    return contextLength == 0 ? io.novacron.workflows.model.PlanRequest.DEFAULT_CONTEXT : contextLength;
  }

  public int batchOrDefault() {
    return batch == 0 ? io.novacron.workflows.model.PlanRequest.DEFAULT_BATCH : batch;
  }
}
