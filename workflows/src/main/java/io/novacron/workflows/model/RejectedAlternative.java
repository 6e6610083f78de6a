package io.novacron.workflows.model;

/**
 * A layout the planner considered and did not choose.
 *
 * @param tp tensor-parallel degree
 * @param pp pipeline-parallel degree; 0 where the TP degree itself was refused
 * @param reason why, in words, with the memory figures where memory decided
 */
public record RejectedAlternative(int tp, int pp, String reason) {}
