package io.novacron.workflows.provision;

import java.util.List;
import java.util.Map;

/**
 * A node as placement sees it: what it announced, what is already reserved on it, and when it was
 * last heard from.
 *
 * @param node node name
 * @param cpus logical CPUs
 * @param memoryMib physical memory
 * @param storageFreeGib free space in the node's storage pool, as announced
 * @param images base images the node holds
 * @param reservedVcpus vCPUs of VMs and reservations on the node
 * @param reservedMemoryMib memory of VMs and reservations on the node
 * @param reservedDiskGib disk of reservations not yet reflected in the announced free space
 * @param lastSeenMillis when the node last announced itself
 * @param announceIntervalSeconds the node's announcement interval
 * @param networks the node's libvirt networks, or null when its agent does not announce them
 * @param cordon why the node is cordoned (it takes no new VMs, its own keep running), or null
 *     while it is not
 * @param labels the operator's labels on the node, which VMs' node selectors ask for
 *     ({@link NodeSelector}); never null
 */
public record NodeCapacity(
    String node,
    int cpus,
    long memoryMib,
    long storageFreeGib,
    List<String> images,
    int reservedVcpus,
    long reservedMemoryMib,
    long reservedDiskGib,
    long lastSeenMillis,
    int announceIntervalSeconds,
    List<String> networks,
    String cordon,
    Map<String, String> labels) {

  public NodeCapacity {
    labels = labels == null ? Map.of() : Map.copyOf(labels);
  }

  /** A node without labels. */
  public NodeCapacity(String node, int cpus, long memoryMib, long storageFreeGib, List<String> images,
      int reservedVcpus, long reservedMemoryMib, long reservedDiskGib, long lastSeenMillis,
      int announceIntervalSeconds, List<String> networks, String cordon) {
    this(node, cpus, memoryMib, storageFreeGib, images, reservedVcpus, reservedMemoryMib, reservedDiskGib,
        lastSeenMillis, announceIntervalSeconds, networks, cordon, null);
  }

  /** A node that is not cordoned. */
  public NodeCapacity(String node, int cpus, long memoryMib, long storageFreeGib, List<String> images,
      int reservedVcpus, long reservedMemoryMib, long reservedDiskGib, long lastSeenMillis,
      int announceIntervalSeconds, List<String> networks) {
    this(node, cpus, memoryMib, storageFreeGib, images, reservedVcpus, reservedMemoryMib, reservedDiskGib,
        lastSeenMillis, announceIntervalSeconds, networks, null);
  }

  /** A node whose networks are not known. */
  public NodeCapacity(String node, int cpus, long memoryMib, long storageFreeGib, List<String> images,
      int reservedVcpus, long reservedMemoryMib, long reservedDiskGib, long lastSeenMillis,
      int announceIntervalSeconds) {
    this(node, cpus, memoryMib, storageFreeGib, images, reservedVcpus, reservedMemoryMib, reservedDiskGib,
        lastSeenMillis, announceIntervalSeconds, null, null);
  }

  /** Whether the node takes no new VMs. */
  public boolean cordoned() {
    return cordon != null;
  }

  /** The same node with a VM of that size held on it too (a plan's move to it). */
  public NodeCapacity holding(int vmVcpus, long vmMemoryMib, long vmDiskGib) {
    return new NodeCapacity(node, cpus, memoryMib, storageFreeGib, images, reservedVcpus + vmVcpus,
        reservedMemoryMib + vmMemoryMib, reservedDiskGib + vmDiskGib, lastSeenMillis, announceIntervalSeconds,
        networks, cordon, labels);
  }

  /**
   * The same node without a VM of that size (a plan's move away from it). Its disk is given back
   * to the free space, which counts the VM's disk as used.
   */
  public NodeCapacity releasing(int vmVcpus, long vmMemoryMib, long vmDiskGib) {
    return new NodeCapacity(node, cpus, memoryMib, storageFreeGib + vmDiskGib, images,
        Math.max(0, reservedVcpus - vmVcpus), Math.max(0, reservedMemoryMib - vmMemoryMib), reservedDiskGib,
        lastSeenMillis, announceIntervalSeconds, networks, cordon, labels);
  }

  /** Missed announcements after which a node counts as stale. */
  public static final int STALE_AFTER_MISSED_ANNOUNCEMENTS = 3;

  /** True when the node has not announced itself for three of its intervals. */
  public boolean isStale(long nowMillis) {
    return isStale(lastSeenMillis, announceIntervalSeconds, nowMillis);
  }

  /** The staleness rule, shared by placement and the dashboard. */
  public static boolean isStale(long lastSeenMillis, int announceIntervalSeconds, long nowMillis) {
    long staleAfterMillis = STALE_AFTER_MISSED_ANNOUNCEMENTS * 1000L * Math.max(1, announceIntervalSeconds);
    return nowMillis - lastSeenMillis > staleAfterMillis;
  }
}
