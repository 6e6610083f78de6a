package io.novacron.workflows.resize;

/**
 * What a resize did.
 *
 * @param vmName the VM
 * @param node the node it is on
 * @param size the VM's size afterwards
 * @param changed false when the VM already had the size asked for (nothing was touched)
 */
public record ResizeVmResult(String vmName, String node, VmSize size, boolean changed) {}
