package io.novacron.workflows.migrate;

/**
 * Warm mode, on the target: bring a VM back from the state file and disk that arrived.
 *
 * @param vmName the VM
 * @param uuid its UUID (the same on both nodes)
 * @param statePath the state file on this node ({@link MigrationTarget#statePath()})
 * @param diskPath the root disk on this node, null without one
 * @param domainXml the source's XML rewritten to this node's paths
 */
public record RestoreRequest(
    String vmName, String uuid, String statePath, String diskPath, String domainXml) {}
