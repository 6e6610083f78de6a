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
 * @param diskAllocatedBytes what the root disk's image holds on the source's storage (its
 *     allocation); null where the agent did not say (an agent from before it did)
 * @param diskStandsAlone whether the root disk has no image below it (no base image, no overlay
 *     chain), so that it is all libvirt's storage mirror would send; null where the agent did not say
 */
public record MigrationSource(
    String vmName, String uuid, String state, String domainXml, String hostCpuXml,
    String diskPath, long diskCapacityBytes, long memoryBytes, Long diskAllocatedBytes,
    Boolean diskStandsAlone) {

  /** A description that says nothing of the disk's allocation and chain, as agents from before did. */
  public MigrationSource(String vmName, String uuid, String state, String domainXml, String hostCpuXml,
      String diskPath, long diskCapacityBytes, long memoryBytes) {
    this(vmName, uuid, state, domainXml, hostCpuXml, diskPath, diskCapacityBytes, memoryBytes, null, null);
  }
}
