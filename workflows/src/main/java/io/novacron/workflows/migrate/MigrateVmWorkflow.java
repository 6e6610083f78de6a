package io.novacron.workflows.migrate;

import io.novacron.workflows.run.RunStatus;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.UpdateMethod;
import io.temporal.workflow.UpdateValidatorMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Moves one VM to another node: wait for a migration slot (QUEUED), check, prepare destination,
 * transfer, verify, clean up source.
 * Any failure or a cancellation before the VM has left the source rolls back: the VM runs on the
 * source and the target has neither domain nor disk.
 *
 * <pre>
 * temporal workflow start --task-queue novacron.control --type MigrateVm --workflow-id migrate-demo \
 *   --input '{"vmName":"demo","sourceNode":"lab-a","targetNode":"lab-b","mode":"live",
 *             "options":{"bandwidthMiBps":100,"onTimeout":"force-complete"}}'
 * </pre>
 */
@WorkflowInterface
public interface MigrateVmWorkflow {
  String TYPE = "MigrateVm";

  /**
   * @throws io.temporal.failure.ApplicationFailure InvalidSpec (also for a VM the inventory does not
   *     know when {@code sourceNode} is left out), DomainNotRunning, DomainConflict,
   *     CpuIncompatible, MigrationFailed or MigrationTimeout, after rolling back
   */
  @WorkflowMethod(name = TYPE)
  MigrateVmResult migrate(MigrateVmRequest request);

  /** Phase, node and timeline of the run. */
  @QueryMethod
  RunStatus status();

  /**
   * Asks a running transfer to complete now by pausing the guest for the rest of the copy. Ignored
   * outside the transfer phase.
   */
  @SignalMethod
  void forceComplete();

  /**
   * From the cluster's slot keeper ({@link io.novacron.workflows.migrate.slots.MigrationSlotsWorkflow}):
   * this run may start moving. Until then the run is QUEUED.
   */
  @SignalMethod
  void slotGranted();

  /**
   * An operator's answer to a run in ATTENTION. Accepted only while the run waits for one; the
   * validator refuses it otherwise (the caller sees the reason), and KEEP_* is refused unless the
   * kept copy was last seen running.
   *
   * @return what the run will do now, for the operator
   */
  @UpdateMethod
  String resolve(Resolution resolution);

  /** Refuses a resolution the run cannot take now; the message says why. */
  @UpdateValidatorMethod(updateName = "resolve")
  void validateResolve(Resolution resolution);
}
