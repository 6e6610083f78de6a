package io.novacron.workflows;

import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerOptions;

/**
 * Replays a recorded history against today's workflow code, as {@link WorkflowReplayer} does,
 * with a deadlock detector that a loaded CI machine cannot trip.
 *
 * <p>Why: the SDK's detector fails a workflow thread that has not yielded for 1 s. The first
 * replay in a JVM loads and links the workflow's classes on that thread, and on 2 shared cores
 * under a parallel build that took over a second: {@code ChaosHistoryReplayTest} failed once with
 * {@code PotentialDeadlockException} (a thread dump inside ASM) and passed when run again. A
 * replay test is about the commands a history holds, which this does not relax: a diverging
 * command still fails as nondeterministic.
 */
public final class Replays {
  /** How long a workflow thread may run without yielding before the replay counts it as stuck. */
  static final long DEADLOCK_DETECTION_MILLIS = 30_000;

  private Replays() {}

  /**
   * Replays {@code history} on a fresh in-memory environment with {@code workflow} (and
   * {@code more}) registered on the history's task queue; throws what the replay threw.
   */
  public static void replay(WorkflowExecutionHistory history, Class<?> workflow, Class<?>... more)
      throws Exception {
    TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance();
    try {
      replay(history, env, workflow, more);
    } finally {
      env.close();
    }
  }

  /** As {@link #replay(WorkflowExecutionHistory, Class, Class[])}, on {@code env} (its converter). */
  public static void replay(WorkflowExecutionHistory history, TestWorkflowEnvironment env, Class<?> workflow,
      Class<?>... more) throws Exception {
    String queue = history.getEvents().get(0).getWorkflowExecutionStartedEventAttributes().getTaskQueue().getName();
    Worker worker = env.newWorker(queue,
        WorkerOptions.newBuilder().setDefaultDeadlockDetectionTimeout(DEADLOCK_DETECTION_MILLIS).build());
    worker.registerWorkflowImplementationTypes(workflow);
    if (more.length > 0) {
      worker.registerWorkflowImplementationTypes(more);
    }
    WorkflowReplayer.replayWorkflowExecution(history, worker);
  }
}
