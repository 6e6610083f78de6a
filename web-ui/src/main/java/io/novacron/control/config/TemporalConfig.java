package io.novacron.control.config;

import io.novacron.workflows.TaskQueues;
import io.novacron.workflows.fleet.DrainNodeWorkflowImpl;
import io.novacron.workflows.fleet.FleetActivities;
import io.novacron.workflows.fleet.RebalanceWorkflowImpl;
import io.novacron.workflows.run.RunItemActivities;
import io.novacron.runtime.TemporalConnection;
import io.novacron.workflows.node.InventoryActivities;
import io.novacron.workflows.node.NodeWorkflowImpl;
import io.novacron.workflows.provision.PlacementActivities;
import io.novacron.workflows.migrate.MigrateVmWorkflowImpl;
import io.novacron.runtime.MigrationSlotActivitiesImpl;
import io.novacron.workflows.migrate.slots.MigrationSlotsWorkflowImpl;
import io.novacron.workflows.migrate.slots.SlotLimits;
import io.novacron.workflows.model.deploy.DeployModelWorkflowImpl;
import io.novacron.workflows.model.deploy.NodeDeployWorkflowImpl;
import io.novacron.workflows.console.ConsoleReadWorkflowImpl;
import io.novacron.workflows.delete.DeleteVmWorkflowImpl;
import io.novacron.workflows.image.ImportImageWorkflowImpl;
import io.novacron.workflows.power.VmPowerWorkflowImpl;
import io.novacron.workflows.provision.ProvisionVmWorkflowImpl;
import io.novacron.workflows.resize.ResizeActivities;
import io.novacron.workflows.resize.ResizeVmWorkflowImpl;
import io.novacron.workflows.run.RunRecordActivities;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The control plane's Temporal client and the orchestrator worker on {@link TaskQueues#CONTROL}:
 * every workflow, plus the control activities that own the database.
 */
@Configuration(proxyBeanMethods = false)
class TemporalConfig {

  @Bean(destroyMethod = "shutdown")
  WorkflowServiceStubs workflowServiceStubs(@Value("${novacron.temporal.target}") String target) {
    return TemporalConnection.stubs(target);
  }

  @Bean
  WorkflowClient workflowClient(
      WorkflowServiceStubs stubs, @Value("${novacron.temporal.namespace}") String namespace) {
    return TemporalConnection.client(stubs, namespace);
  }

  @Bean
  OrchestratorWorker orchestratorWorker(
      WorkflowClient client, RunRecordActivities runs, PlacementActivities placement,
      InventoryActivities inventory, ResizeActivities resize, FleetActivities fleet, RunItemActivities runItems,
      @Value("${novacron.migration.max-per-source-node:2}") int migrationsPerSource,
      @Value("${novacron.migration.max-per-cluster:5}") int migrationsPerCluster) {
    WorkerFactory factory = WorkerFactory.newInstance(client);
    Worker worker = factory.newWorker(TaskQueues.CONTROL);
    worker.registerWorkflowImplementationTypes(ProvisionVmWorkflowImpl.class, NodeWorkflowImpl.class,
        MigrateVmWorkflowImpl.class, MigrationSlotsWorkflowImpl.class,
        DeployModelWorkflowImpl.class, NodeDeployWorkflowImpl.class, VmPowerWorkflowImpl.class,
        DeleteVmWorkflowImpl.class, ImportImageWorkflowImpl.class, ResizeVmWorkflowImpl.class,
        ConsoleReadWorkflowImpl.class, DrainNodeWorkflowImpl.class, RebalanceWorkflowImpl.class);
    // The inventory bean also implements VmStateActivities (VmPower's and DeleteVm's records).
    worker.registerActivitiesImplementations(runs, placement, inventory, resize, fleet, runItems,
        new MigrationSlotActivitiesImpl(new SlotLimits(migrationsPerSource, migrationsPerCluster)));
    return new OrchestratorWorker(factory);
  }
}
