package io.novacron.workflows.delete;

/**
 * What a delete did.
 *
 * @param vmName the VM
 * @param node the node it was on, or null when the inventory no longer knew it
 * @param deleted true when this run removed it, false when it was already gone (a repeated delete)
 */
public record DeleteVmResult(String vmName, String node, boolean deleted) {}
