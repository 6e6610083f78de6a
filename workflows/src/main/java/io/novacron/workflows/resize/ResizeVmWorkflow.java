package io.novacron.workflows.resize;

import io.novacron.workflows.run.RunStatus;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Changes a stopped VM's vCPUs and memory and grows its disk, on the node the inventory has it on.
 * Phases: check, reserve (the growth, on the VM's node), resize-domain, grow-disk, record. A
 * failure gives the held growth back and puts the domain's old vCPUs and memory back; a grown disk
 * stays grown (shrinking it is what a resize refuses) and the record keeps the old size.
 *
 * <p>Idempotent: the host steps do nothing where the domain or disk already has the size, so a
 * retried step, a restarted worker or a second resize to the same size ends the same way.
 *
 * <p>Start it from the Temporal CLI with plain JSON:
 *
 * <pre>
 * temporal workflow start --task-queue novacron.control --type ResizeVm --workflow-id resize-demo \
 *   --input '{"vmName":"demo","vcpus":2,"memoryMib":512,"diskGib":4}'
 * </pre>
 */
@WorkflowInterface
public interface ResizeVmWorkflow {
  String TYPE = "ResizeVm";

  /**
   * @throws io.temporal.failure.ApplicationFailure InvalidSpec (bad field, a shrinking disk, a VM
   *     the inventory does not know), VmNotStopped (the VM runs), NoCapacity (its node lacks the
   *     growth), or a host step's failure
   */
  @WorkflowMethod(name = TYPE)
  ResizeVmResult resize(ResizeVmRequest request);

  /** Phase, node and timeline of the run. */
  @QueryMethod
  RunStatus status();
}
