package io.novacron.workflows.resize;

/**
 * A new size for one VM; each field left null keeps what the VM has. The node is not part of the
 * request: the workflow takes it from the inventory.
 *
 * @param vmName the VM, as the inventory knows it
 * @param vcpus virtual CPUs, 1 to 64; changes only while the VM is stopped
 * @param memoryMib memory in MiB, 64 to 1048576; changes only while the VM is stopped
 * @param diskGib root disk size in GiB, up to 16384; only grows, and only while the VM is stopped
 */
public record ResizeVmRequest(String vmName, Integer vcpus, Long memoryMib, Long diskGib) {}
