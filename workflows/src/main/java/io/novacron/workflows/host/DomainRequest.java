package io.novacron.workflows.host;

/**
 * A domain to define.
 *
 * @param vmName domain name
 * @param uuid domain UUID, chosen by the workflow so that a retried define finds its own domain
 * @param vcpus virtual CPUs
 * @param memoryMib memory
 * @param diskPath the root disk's path on the node
 * @param image base image, whose boot settings (kernel, initrd, command line) apply; may be null
 */
public record DomainRequest(
    String vmName, String uuid, int vcpus, long memoryMib, String diskPath, String image) {}
