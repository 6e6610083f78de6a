package io.novacron.workflows.model.deploy;

/**
 * The GPU agent's answer to "does the plan fit the GPUs as they are now".
 *
 * @param node the node
 * @param gpuPresent whether the node has GPUs at all; false means only the reference loader may run
 * @param detail free memory per planned GPU against the need, or why no GPU was checked
 */
public record GpuCheck(String node, boolean gpuPresent, String detail) {}
