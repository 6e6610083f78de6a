package io.novacron.workflows.model.deploy;

import io.novacron.workflows.node.GpuInventory;
import io.temporal.activity.ActivityInterface;
import java.util.List;

/**
 * What the GPU agent on one node does. Stubs are pinned to the node's queue ({@code
 * TaskQueues.gpu(node)}). The same queue also serves {@code TransferActivities}: every GPU agent
 * runs its own transfer engine, so shards move GPU agent to GPU agent.
 *
 * <p>Paths are relative to the agent's data directory (a checkpoint may also be absolute, inside
 * the agent's checkpoint roots); anything that leaves them is refused as InvalidSpec.
 */
@ActivityInterface(namePrefix = "Gpu.")
public interface GpuActivities {
  /** The node's GPUs as of now (empty where the node has none). */
  GpuInventory inventory();

  /**
   * Reads a checkpoint's config and headers (no tensor data).
   *
   * @throws io.temporal.failure.ApplicationFailure CheckpointInvalid naming the file and the problem
   */
  CheckpointSummary inspectCheckpoint(String checkpoint);

  /**
   * Shards the checkpoint under {@code shards/<deployment>}, then hashes each file. Format
   * {@code novacron}: one file per rank plus manifest and config. Format {@code vllm-sharded-state}:
   * vLLM's {@code model-rank-{r}-part-0.safetensors} per TP rank plus the checkpoint's other files
   * (config, tokenizer), each with its SHA-256 in place of a manifest. Heartbeats bytes done; a
   * retry starts over (the old manifest, or every file of the directory, is removed first, so a
   * half-written set is never trusted).
   *
   * @throws io.temporal.failure.ApplicationFailure CheckpointInvalid or InvalidSpec (layout)
   */
  ShardSet shardCheckpoint(ShardRequest request);

  /**
   * The names of {@code files} that already lie in {@code dir} with the same size and SHA-256: an
   * earlier revision's shards that need not move again.
   */
  List<String> unchangedFiles(String dir, List<ShardFileRef> files);

  /**
   * Checks every file in {@code dir} against its SHA-256 and then the tensors of the ranks held
   * here: format {@code novacron} every piece against the manifest there; format
   * {@code vllm-sharded-state} each rank file's tensor names and shapes against what vLLM expects of
   * that TP rank for the config there. Heartbeats.
   *
   * @param format null (a call from before the parameter) for {@code novacron}
   * @return bytes verified
   * @throws io.temporal.failure.ApplicationFailure ShardVerifyFailed naming the file or tensor
   */
  long verifyShards(String dir, List<ShardFileRef> files, ShardFormat format);

  /**
   * Checks the files in {@code dir} without hashing them again: each is there with the size the
   * shard set names, then the tensors of the ranks held here, as {@link #verifyShards} does but
   * without piece digests (format {@code novacron}: every piece of those ranks lies inside its file;
   * format {@code vllm-sharded-state}: tensor names and shapes). For files whose SHA-256 was just
   * checked: on receipt (the transfer engine, against the shard set's digest) or by
   * {@link #unchangedFiles}. Reads headers only; no heartbeat needed.
   *
   * @return bytes checked
   * @throws io.temporal.failure.ApplicationFailure ShardVerifyFailed naming the file or tensor
   */
  long checkShards(String dir, List<ShardFileRef> files, ShardFormat format);

  /**
   * Whether the GPUs a launch would use have the memory the plan needs, now.
   *
   * @throws io.temporal.failure.ApplicationFailure GpuUnavailable: too little free memory, or no
   *     GPU and a runtime other than the reference loader
   */
  GpuCheck checkGpus(LaunchRequest request);

  /**
   * Starts the serving process (idempotent per deployment, revision and replica: a retry returns
   * the one already running), log to a file under {@code logs/}.
   *
   * @throws io.temporal.failure.ApplicationFailure DeploymentBusy when another revision (run) of the
   *     deployment serves on this node: stop that run first
   */
  ServingProcess launch(LaunchRequest request);

  /**
   * Polls the process's health endpoint (or, where it has none, its being alive) until ready.
   * Heartbeats; cancelling it stops waiting (the workflow then stops the process).
   *
   * @throws io.temporal.failure.ApplicationFailure ServingFailed when the process exits or the
   *     timeout passes, with the end of its log
   */
  ServingProcess awaitReady(ServingProcess process, int timeoutSeconds);

  /**
   * Stops the processes of {@code deployment} that revision {@code revision} (a run id) started on
   * this node, or all of the deployment's where {@code revision} is null (SIGTERM, then SIGKILL
   * after a grace period). Idempotent: nothing running is success.
   *
   * @return processes stopped
   */
  int stopServing(String deployment, String revision);
}
