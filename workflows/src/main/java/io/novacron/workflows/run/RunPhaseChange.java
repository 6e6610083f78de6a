package io.novacron.workflows.run;

/**
 * A run entered a phase (or ended).
 *
 * @param runId the workflow id
 * @param phase the phase name users read, e.g. {@code prepare-storage}
 * @param state the run state after this change
 * @param node the node the run acts on, once known; null before
 * @param detail free text: a node name, an error message; may be null
 * @param atMillis workflow time of the change
 */
public record RunPhaseChange(
    String runId, String phase, RunState state, String node, String detail, long atMillis) {}
