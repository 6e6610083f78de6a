package io.novacron.workflows.power;

import io.novacron.workflows.run.RunStatus;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Starts, stops or reboots one VM on the node the inventory has it on, and records the state it
 * ends in. Phases: check, then start and verify, or shutdown, or both (reboot); then record.
 * Nothing is rolled back: a power action that fails half-way leaves the guest as libvirt has it,
 * and the inventory is told that.
 *
 * <p>Start it from the Temporal CLI with plain JSON:
 *
 * <pre>
 * temporal workflow start --task-queue novacron.control --type VmPower --workflow-id power-demo \
 *   --input '{"vmName":"demo","action":"stop","graceSeconds":30}'
 * </pre>
 */
@WorkflowInterface
public interface VmPowerWorkflow {
  String TYPE = "VmPower";

  /**
   * @throws io.temporal.failure.ApplicationFailure InvalidSpec (bad field, or a VM the inventory
   *     does not know), DomainNotRunning (the guest did not come up), or a host step's failure
   */
  @WorkflowMethod(name = TYPE)
  VmPowerResult power(VmPowerRequest request);

  /** Phase, node and timeline of the run. */
  @QueryMethod
  RunStatus status();
}
