package io.novacron.workflows.node;

import java.util.List;

/**
 * What a GPU agent announces about its node.
 *
 * @param node node name
 * @param source where the inventory came from ({@code nvidia-smi}, or {@code none} where no GPU
 *     tooling exists on the node)
 * @param driverVersion GPU driver version, null where none
 * @param gpus the GPUs, empty where none
 * @param agentVersion version of the GPU agent
 * @param announceIntervalSeconds how often the agent announces; the node is stale after three
 *     missed announcements
 */
public record GpuInventory(
    String node,
    String source,
    String driverVersion,
    List<GpuInfo> gpus,
    String agentVersion,
    int announceIntervalSeconds) {}
