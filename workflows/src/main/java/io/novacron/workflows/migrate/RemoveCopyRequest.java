package io.novacron.workflows.migrate;

/**
 * Removes what one node holds of a VM: its domain (stopped first), disk, overlay, saved state and
 * console log.
 *
 * @param vmName the VM
 * @param uuid the VM's domain UUID: a domain of that name with another UUID is never touched
 * @param force also remove a copy that runs or has a libvirt job: only on an operator's word
 *     ({@link Resolution#KEEP_SOURCE}, {@link Resolution#KEEP_TARGET}), never on the workflow's own
 */
public record RemoveCopyRequest(String vmName, String uuid, boolean force) {}
