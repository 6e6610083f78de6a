package io.novacron.workflows.provision;

import io.novacron.workflows.run.RunStatus;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Provisions one VM: validate, place (reserve capacity), prepare storage, define, start, verify,
 * record. Each step that ran is undone when a later one fails or the run is cancelled, so a failed
 * run leaves no disk, domain or reservation behind.
 *
 * <p>Start it from the Temporal CLI with plain JSON:
 *
 * <pre>
 * temporal workflow start --task-queue novacron.control --type ProvisionVm --workflow-id vm-demo \
 *   --input '{"name":"demo","vcpus":1,"memoryMib":128,"diskGib":1,"image":"tiny"}'
 * </pre>
 */
@WorkflowInterface
public interface ProvisionVmWorkflow {
  String TYPE = "ProvisionVm";

  /**
   * @throws io.temporal.failure.ApplicationFailure InvalidSpec, UnknownNode, NoCapacity, VmExists,
   *     ImageNotFound, DomainConflict or DomainNotRunning, after rolling back
   */
  @WorkflowMethod(name = TYPE)
  ProvisionVmResult provision(ProvisionVmRequest request);

  /** Phase, node and timeline of the run. */
  @QueryMethod
  RunStatus status();
}
