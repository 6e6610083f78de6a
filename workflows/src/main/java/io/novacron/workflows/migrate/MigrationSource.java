package io.novacron.workflows.migrate;

/**
 * What the source agent reports about a VM before it moves.
 *
 * @param vmName domain name
 * @param uuid domain UUID (kept on the target)
 * @param state libvirt state in lower case
 * @param domainXml the domain's migratable XML, with the source's paths
 * @param hostCpuXml the source host's CPU (from its capabilities), for the target's CPU compare
 * @param diskPath the root disk (target {@code vda}) on the source, null without one
 * @param diskCapacityBytes the root disk's virtual size
 * @param memoryBytes the guest's memory
 */
public record MigrationSource(
    String vmName, String uuid, String state, String domainXml, String hostCpuXml,
    String diskPath, long diskCapacityBytes, long memoryBytes) {}
