package io.novacron.host.migrate;

import io.novacron.workflows.TaskQueues;
import io.novacron.workflows.client.TemporalConnection;
import io.novacron.workflows.migrate.MigrateVmWorkflowImpl;
import io.novacron.workflows.migrate.slots.MigrationSlotActivitiesImpl;
import io.novacron.workflows.migrate.slots.MigrationSlotsWorkflowImpl;
import io.novacron.workflows.migrate.slots.SlotLimits;
import io.novacron.workflows.node.GpuInventory;
import io.novacron.workflows.node.InventoryActivities;
import io.novacron.workflows.node.NodeFacts;
import io.novacron.workflows.node.NodeWorkflowImpl;
import io.novacron.workflows.node.VmRecord;
import io.novacron.workflows.run.RunPhaseChange;
import io.novacron.workflows.run.RunRecordActivities;
import io.novacron.workflows.run.RunStarted;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.worker.Worker;
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
    register(factory.newWorker(TaskQueues.CONTROL));
    factory.start();
    System.out.println("lab orchestrator polls " + TaskQueues.CONTROL + " on " + args[0]);
    Thread.currentThread().join();
  }

  /** What the control plane's worker registers for migrations, minus its database. */
  static void register(Worker control) {
    control.registerWorkflowImplementationTypes(MigrateVmWorkflowImpl.class,
        MigrationSlotsWorkflowImpl.class, NodeWorkflowImpl.class);
    control.registerActivitiesImplementations(new NoRunRecords(), new NoInventory(),
        new MigrationSlotActivitiesImpl(SlotLimits.defaults()));
  }

  /** The control plane's run records, not under test here. */
  static final class NoRunRecords implements RunRecordActivities {
    @Override
    public void started(RunStarted run) {}

    @Override
    public void phase(RunPhaseChange change) {}
  }

  /** The control plane's inventory, not under test here (the workflow and REST tests cover it). */
  static final class NoInventory implements InventoryActivities {
    @Override
    public void recordNode(NodeFacts facts) {}

    @Override
    public void recordGpus(GpuInventory inventory) {}

    @Override
    public void recordVm(VmRecord vm) {}

    @Override
    public void moveVm(String vmName, String toNode, String diskPath) {}

    @Override
    public String vmNode(String vmName) {
      return null;
    }
  }
}
