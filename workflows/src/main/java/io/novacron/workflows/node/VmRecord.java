package io.novacron.workflows.node;

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
    String runId) {}
