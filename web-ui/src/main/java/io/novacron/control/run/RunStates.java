package io.novacron.control.run;

import io.novacron.workflows.run.RunState;

/**
 * Which run states count as active (the run may still change its subject): RUNNING, QUEUED and
 * ATTENTION, the states {@link RunState#isTerminal()} calls not terminal. Kept in one place because
 * SQL needs them spelled out; {@code RunStatesTest} checks the spelling against the enum.
 */
public final class RunStates {
  /** A SQL condition on a {@code state} column: the run has not ended. */
  public static final String ACTIVE_SQL = "state in ('RUNNING', 'QUEUED', 'ATTENTION')";

  private RunStates() {}

  /** Whether a recorded state (a {@link RunState} name) is one of a run that has not ended. */
  public static boolean active(String state) {
    for (RunState candidate : RunState.values()) {
      if (candidate.name().equals(state)) {
        return !candidate.isTerminal();
      }
    }
    return false;
  }
}
