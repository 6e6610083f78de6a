package io.novacron.workflows.node;

/**
 * One GPU as its node's agent sees it.
 *
 * @param index device index on the node
 * @param model product name, e.g. {@code NVIDIA H100 80GB HBM3}
 * @param uuid device UUID
 * @param memoryMib total device memory
 * @param memoryUsedMib memory in use when announced
 */
public record GpuInfo(int index, String model, String uuid, long memoryMib, long memoryUsedMib) {}
