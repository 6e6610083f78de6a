package io.novacron.workflows.run;

/** Life-cycle of a run as the API and dashboard show it. */
public enum RunState {
  RUNNING,
  SUCCEEDED,
  FAILED,
  CANCELLED;

  public boolean isTerminal() {
    return this != RUNNING;
  }
}
