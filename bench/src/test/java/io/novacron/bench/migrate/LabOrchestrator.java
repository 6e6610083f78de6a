package io.novacron.bench.migrate;

import io.novacron.workflows.TaskQueues;
import io.novacron.runtime.TemporalConnection;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.worker.WorkerFactory;

/**
 * The orchestrator worker of the lab's fault tests as a process of its own, so that a test can
 * kill it mid-run and start another: the migration workflows, the slot keeper and the node
 * workflow (the agents announce themselves) on {@code novacron.control}, with the control plane's
 * database activities left out (not under test). Usage: {@code LabOrchestrator <temporal host:port>}.
 */
public final class LabOrchestrator {
  private LabOrchestrator() {}

  public static void main(String[] args) throws InterruptedException {
    WorkflowServiceStubs stubs = TemporalConnection.stubs(args[0]);
    WorkerFactory factory = WorkerFactory.newInstance(
        TemporalConnection.client(stubs, TemporalConnection.DEFAULT_NAMESPACE));
    MigrationControlWorker.register(factory.newWorker(TaskQueues.CONTROL));
    factory.start();
    System.out.println("lab orchestrator polls " + TaskQueues.CONTROL + " on " + args[0]);
    Thread.currentThread().join();
  }
}
