package io.novacron.workflows;

/**
 * Task-queue names, defined once. The control plane polls {@link #CONTROL}; every node agent polls
 * its own pinned queue so that work meant for one machine can only run there.
 */
public final class TaskQueues {
  /** Workflows and control activities (placement, inventory, run records). */
  public static final String CONTROL = "novacron.control";

  private static final String HOST_PREFIX = "host.";
  private static final String GPU_PREFIX = "gpu.";

  private TaskQueues() {}

  /** The queue of the host agent (libvirt, storage, transfers) on {@code node}. */
  public static String host(String node) {
    return HOST_PREFIX + requireNode(node);
  }

  /** The queue of the GPU agent (GPU inventory, shard staging, serving) on {@code node}. */
  public static String gpu(String node) {
    return GPU_PREFIX + requireNode(node);
  }

  private static String requireNode(String node) {
    if (node == null || node.isBlank()) {
      throw new IllegalArgumentException("node name must not be blank");
    }
    return node;
  }
}
