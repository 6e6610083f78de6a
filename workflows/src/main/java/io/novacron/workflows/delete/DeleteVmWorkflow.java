package io.novacron.workflows.delete;

import io.novacron.workflows.run.RunStatus;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Deletes one VM: powers its guest off, undefines the domain (only the one with the VM's UUID),
 * removes its disk overlay, cloud-init seed and console log on its node, then drops the inventory
 * record and with it the capacity the VM held. Phases: check, destroy, clean-up, forget.
 *
 * <p>Idempotent: every step succeeds when what it removes is already gone, so a retried step, a
 * restarted worker or a second delete of the same VM ends the same way. Once the destroy began a
 * cancel does not stop the run half-way (a half-deleted VM is worse than either end): the run
 * finishes the delete and says the cancel came too late.
 *
 * <p>Start it from the Temporal CLI with plain JSON:
 *
 * <pre>
 * temporal workflow start --task-queue novacron.control --type DeleteVm --workflow-id delete-demo \
 *   --input '{"vmName":"demo"}'
 * </pre>
 */
@WorkflowInterface
public interface DeleteVmWorkflow {
  String TYPE = "DeleteVm";

  /**
   * @throws io.temporal.failure.ApplicationFailure InvalidSpec (bad name), DiskInUse (a domain of
   *     that name but another UUID holds the disk: nothing of it is removed), or a host step's
   *     failure (the node's agent down: the VM stays in the inventory, nothing is forgotten)
   */
  @WorkflowMethod(name = TYPE)
  DeleteVmResult delete(DeleteVmRequest request);

  /** Phase, node and timeline of the run. */
  @QueryMethod
  RunStatus status();
}
