package io.novacron.workflows.model.deploy;

import io.novacron.workflows.model.ModelShape;

/**
 * What the source node's GPU agent found in a checkpoint: enough to plan.
 *
 * @param directory the checkpoint directory, absolute, on the source node
 * @param shape the decoder's shape from {@code config.json}
 * @param weightDtype the weight type the config implies ({@code bf16}, {@code fp8}, {@code int4})
 * @param totalBytes tensor data bytes
 * @param tensors tensors in the checkpoint
 */
public record CheckpointSummary(String directory, ModelShape shape, String weightDtype, long totalBytes,
    int tensors) {}
