package io.novacron.workflows.model;

/**
 * One pipeline stage: its layers, what else it holds, and what each of its GPUs needs.
 *
 * @param stage pipeline rank, from 0
 * @param layers decoder layers of the stage
 * @param embeddings whether the stage holds the token embeddings (stage 0)
 * @param lmHead whether the stage holds the final norm and {@code lm_head} (the last stage)
 * @param perGpu memory of each of the stage's TP ranks (all equal)
 */
public record StagePlan(int stage, LayerRange layers, boolean embeddings, boolean lmHead,
    MemoryEstimate perGpu) {}
