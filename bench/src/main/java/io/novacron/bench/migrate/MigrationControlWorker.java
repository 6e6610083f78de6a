package io.novacron.bench.migrate;

import io.novacron.workflows.migrate.MigrateVmWorkflowImpl;
import io.novacron.runtime.MigrationSlotActivitiesImpl;
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
import io.temporal.worker.Worker;

/**
 * What the control plane's worker registers for migrations, minus its database: the benchmark and
 * the lab tests run MigrateVm against real agents without a control plane.
 */
public final class MigrationControlWorker {
  private MigrationControlWorker() {}

  /** Registers MigrateVm, the slot keeper and the node entity, with no-op records and inventory. */
  public static void register(Worker control) {
    control.registerWorkflowImplementationTypes(MigrateVmWorkflowImpl.class,
        MigrationSlotsWorkflowImpl.class, NodeWorkflowImpl.class);
    control.registerActivitiesImplementations(new NoRunRecords(), new NoInventory(),
        new MigrationSlotActivitiesImpl(SlotLimits.defaults()));
  }

  /** Run records belong to the control plane's database: not part of this benchmark. */
  private static final class NoRunRecords implements RunRecordActivities {
    @Override
    public void started(RunStarted run) {}

    @Override
    public void phase(RunPhaseChange change) {}
  }

  /** Nor is the inventory. */
  private static final class NoInventory implements InventoryActivities {
    @Override
    public void recordNode(NodeFacts facts) {}

    @Override
    public void recordGpus(GpuInventory inventory) {}

    @Override
    public void recordVm(VmRecord vm) {}

    @Override
    public void moveVm(String vmName, String toNode, String diskPath) {}

    @Override
    public String migrationTargetRefusal(String vmName, String targetNode) {
      return null;
    }

    @Override
    public io.novacron.workflows.image.ImageSource migrationImageSource(String vmName, String targetNode) {
      return null;
    }

    @Override
    public String reserveMigrationTarget(String runId, String vmName, String targetNode) {
      return null;
    }

    @Override
    public void releaseMigrationTarget(String runId) {}

    @Override
    public String vmNode(String vmName) {
      return null;
    }
  }
}
