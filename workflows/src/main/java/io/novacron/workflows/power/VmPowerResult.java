package io.novacron.workflows.power;

/**
 * A power action that completed.
 *
 * @param vmName the VM
 * @param node the node it is on
 * @param state the domain's state afterwards, as libvirt reports it ({@code running}, {@code shutoff})
 */
public record VmPowerResult(String vmName, String node, String state) {}
