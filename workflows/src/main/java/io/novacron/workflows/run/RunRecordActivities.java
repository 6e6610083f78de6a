package io.novacron.workflows.run;

import io.temporal.activity.ActivityInterface;

/**
 * Writes the run records the API and dashboard read. Temporal holds execution truth; these records
 * are the readable projection of it. Implemented by the control plane; workflows call them as local
 * activities, since the orchestrator worker that runs the workflow also owns the database.
 *
 * <p>Both methods are idempotent: a retried call leaves one record and one event.
 */
@ActivityInterface(namePrefix = "Runs.")
public interface RunRecordActivities {
  /** Creates the run record if it does not exist yet. */
  void started(RunStarted run);

  /** Appends a phase event and updates the run's current phase and state. */
  void phase(RunPhaseChange change);
}
