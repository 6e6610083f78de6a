package io.novacron.workflows.provision;

/**
 * The outcome of a successful provisioning.
 *
 * @param name VM name
 * @param uuid domain UUID
 * @param node node the VM runs on
 * @param domainType {@code kvm}, {@code qemu} (TCG) or {@code test}
 * @param diskPath root disk on the node
 */
public record ProvisionVmResult(
    String name, String uuid, String node, String domainType, String diskPath) {}
