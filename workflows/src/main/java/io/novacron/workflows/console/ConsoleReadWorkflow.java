package io.novacron.workflows.console;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * One read of a VM's console log on its node: a single {@link ConsoleActivities#readConsole} on
 * the node's queue, its chunk returned to the caller, who waits for it.
 *
 * <p>Why a workflow for a read: Temporal is the only channel between the control plane and the
 * nodes (no agent listens for the control plane, and it holds no credentials to be reached with),
 * and Temporal runs an activity only for a workflow. The alternatives cost more: a long-lived
 * per-viewer workflow needs signals, queries and its own clean-up; the agent pushing console
 * output through announcements would send every guest's log whether anyone reads it or not. This
 * workflow has one activity and no run record (it changes nothing, so it is not a run in the
 * dashboard's sense), and a short run timeout: a node that does not answer fails the read within
 * seconds. A follower reads about once a second while a console is open.
 *
 * <pre>
 * temporal workflow execute --task-queue novacron.control --type ReadConsole --workflow-id console-demo \
 *   --input '{"node":"node-a","read":{"vmName":"demo","offset":-4096,"maxBytes":0}}'
 * </pre>
 */
@WorkflowInterface
public interface ConsoleReadWorkflow {
  String TYPE = "ReadConsole";

  /**
   * @throws io.temporal.failure.ApplicationFailure InvalidSpec for a bad VM or node name; the read's
   *     failure (a timeout: the node's agent did not pick it up) as its cause otherwise
   */
  @WorkflowMethod(name = TYPE)
  ConsoleChunk read(ConsoleReadRequest request);
}
