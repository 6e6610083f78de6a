package io.novacron.workflows.run;

/** One entry of a run's phase timeline, as a workflow query returns it. */
public record PhaseEvent(String phase, long atMillis, String detail) {}
