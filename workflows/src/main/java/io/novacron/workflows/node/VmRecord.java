package io.novacron.workflows.node;

import io.novacron.workflows.host.Nic;
import java.util.List;
import java.util.Map;

/**
 * A VM as the inventory records it.
 *
 * @param name VM name
 * @param uuid libvirt domain UUID
 * @param node node it runs on
 * @param state {@code running}, {@code shutoff}, ...
 * @param vcpus virtual CPUs
 * @param memoryMib memory
 * @param diskGib root disk size
 * @param image base image, or null
 * @param diskPath the root disk's path on the node
 * @param runId the run that last changed it
 * @param nics its network interfaces (network and MAC), in order; null or empty for none
 * @param labels its key/value labels; null to leave the ones recorded as they are (a new VM then
 *     has none)
 */
public record VmRecord(
    String name,
    String uuid,
    String node,
    String state,
    int vcpus,
    long memoryMib,
    long diskGib,
    String image,
    String diskPath,
    String runId,
    List<Nic> nics,
    Map<String, String> labels) {

  /** A record that leaves the VM's labels as they are. */
  public VmRecord(String name, String uuid, String node, String state, int vcpus, long memoryMib, long diskGib,
      String image, String diskPath, String runId, List<Nic> nics) {
    this(name, uuid, node, state, vcpus, memoryMib, diskGib, image, diskPath, runId, nics, null);
  }

  /** A record without network interfaces. */
  public VmRecord(String name, String uuid, String node, String state, int vcpus, long memoryMib, long diskGib,
      String image, String diskPath, String runId) {
    this(name, uuid, node, state, vcpus, memoryMib, diskGib, image, diskPath, runId, null, null);
  }
}
