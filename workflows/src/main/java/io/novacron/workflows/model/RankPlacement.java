package io.novacron.workflows.model;

/**
 * Where one rank of one replica runs.
 *
 * @param replica replica index, from 0
 * @param rank rank within the replica, {@code stage * tp + tpRank} (vLLM's and Megatron's order)
 * @param stage pipeline rank
 * @param tpRank tensor-parallel rank within the stage
 * @param node node name
 * @param gpu device index on the node
 */
public record RankPlacement(int replica, int rank, int stage, int tpRank, String node, int gpu) {}
