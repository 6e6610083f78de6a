package io.novacron.workflows.model.deploy;

/** What serves a deployment's ranks on each node. */
public enum ServingRuntime {
  /** vLLM from the command template; needs the node's GPUs. */
  VLLM,
  /**
   * NovaCron's reference loader: loads and verifies the node's shard files and answers
   * {@code /health}, but computes nothing. The only runtime allowed on nodes without GPUs.
   */
  REFERENCE
}
