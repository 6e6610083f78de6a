package io.novacron.workflows.run;

/** Life-cycle of a run as the API and dashboard show it. */
public enum RunState {
  /** Waiting for its turn (a migration slot); nothing has been touched yet. */
  QUEUED,
  RUNNING,
  SUCCEEDED,
  FAILED,
  CANCELLED;

  public boolean isTerminal() {
    return this != RUNNING && this != QUEUED;
  }
}
