package io.novacron.workflows.run;

import java.util.List;

/**
 * What a workflow query returns about a run in flight.
 *
 * @param phase current phase
 * @param state current state
 * @param node the node the run acts on, once placed; null before
 * @param timeline phases entered so far, in order
 */
public record RunStatus(String phase, RunState state, String node, List<PhaseEvent> timeline) {}
