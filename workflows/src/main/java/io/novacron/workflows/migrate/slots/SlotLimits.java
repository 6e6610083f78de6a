package io.novacron.workflows.migrate.slots;

/**
 * How many migrations may run at once.
 *
 * @param perSourceNode outbound migrations from one node (each costs the source CPU, memory
 *     bandwidth and its uplink); default {@value #DEFAULT_PER_SOURCE}
 * @param perCluster migrations in the whole cluster (one Temporal namespace); default
 *     {@value #DEFAULT_PER_CLUSTER}
 */
public record SlotLimits(int perSourceNode, int perCluster) {
  public static final int DEFAULT_PER_SOURCE = 2;
  public static final int DEFAULT_PER_CLUSTER = 5;

  public SlotLimits {
    if (perSourceNode < 1) {
      throw new IllegalArgumentException("perSourceNode: at least 1, was " + perSourceNode);
    }
    if (perCluster < 1) {
      throw new IllegalArgumentException("perCluster: at least 1, was " + perCluster);
    }
  }

  public static SlotLimits defaults() {
    return new SlotLimits(DEFAULT_PER_SOURCE, DEFAULT_PER_CLUSTER);
  }

  @Override
  public String toString() {
    return "at most " + perSourceNode + " per source node and " + perCluster + " in the cluster";
  }
}
