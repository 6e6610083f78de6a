package io.novacron.workflows.delete;

/**
 * A VM to delete. The node is not part of the request: the workflow takes it from the inventory.
 *
 * @param vmName the VM, as the inventory knows it
 */
public record DeleteVmRequest(String vmName) {}
