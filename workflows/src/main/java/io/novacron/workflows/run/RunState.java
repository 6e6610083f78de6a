package io.novacron.workflows.run;

/** Life-cycle of a run as the API and dashboard show it. */
public enum RunState {
  /** Waiting for its turn (a migration slot); nothing has been touched yet. */
  QUEUED,
  RUNNING,
  /**
   * Still open, waiting for an operator: the run cannot tell where the VM runs (a node does not
   * answer) or found a state it must not repair on its own (two running copies, none). It did
   * nothing destructive, re-checks both nodes at an interval, and takes a resolution
   * ({@code POST /api/v1/runs/{id}/resolve}, the run page, {@code novacron runs resolve}).
   */
  ATTENTION,
  SUCCEEDED,
  FAILED,
  CANCELLED;

  public boolean isTerminal() {
    return this != RUNNING && this != QUEUED && this != ATTENTION;
  }
}
