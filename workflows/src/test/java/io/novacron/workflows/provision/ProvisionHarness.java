package io.novacron.workflows.provision;

import io.novacron.workflows.DataConversion;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.atLeastOnce;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import io.novacron.workflows.TaskQueues;
import io.novacron.workflows.host.DiskInfo;
import io.novacron.workflows.host.DomainRequest;
import io.novacron.workflows.host.DomainStatus;
import io.novacron.workflows.host.HostActivities;
import io.novacron.workflows.image.ImageActivities;
import io.novacron.workflows.transfer.TransferActivities;
import io.novacron.workflows.node.InventoryActivities;
import io.novacron.workflows.node.NodeWorkflowImpl;
import io.novacron.workflows.run.RunPhaseChange;
import io.novacron.workflows.run.RunRecordActivities;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.util.List;
import org.mockito.ArgumentCaptor;

/**
 * A test Temporal service wired like production: the workflow, placement, inventory and (local) run
 * record activities on the control queue, and the host activities on {@code host.node-a}, all with
 * NovaCron's data converter. Every activity is a Mockito mock.
 */
final class ProvisionHarness implements AutoCloseable {
  static final String NODE = "node-a";
  static final String DISK_PATH = "/var/lib/novacron/pool/web-1.qcow2";
  static final ProvisionVmRequest REQUEST = new ProvisionVmRequest("web-1", 2, 512, 10, "tiny", null);

  final HostActivities host = mock(HostActivities.class, withSettings().withoutAnnotations());
  final PlacementActivities placement = mock(PlacementActivities.class, withSettings().withoutAnnotations());
  final InventoryActivities inventory = mock(InventoryActivities.class, withSettings().withoutAnnotations());
  final RunRecordActivities runs = mock(RunRecordActivities.class, withSettings().withoutAnnotations());
  /** The chosen node's image library and transfer receiver (used only when it pulls an image). */
  final ImageActivities images = mock(ImageActivities.class, withSettings().withoutAnnotations());
  final TransferActivities transfers = mock(TransferActivities.class, withSettings().withoutAnnotations());
  /** {@link #PEER}'s image library and transfer sender. */
  final ImageActivities peerImages = mock(ImageActivities.class, withSettings().withoutAnnotations());
  final TransferActivities peerTransfers = mock(TransferActivities.class, withSettings().withoutAnnotations());
  static final String PEER = "node-b";

  final TestWorkflowEnvironment env;
  final WorkflowClient client;

  ProvisionHarness() {
    env = TestWorkflowEnvironment.newInstance(
        TestEnvironmentOptions.newBuilder()
            .setWorkflowClientOptions(DataConversion.clientOptions("default"))
            .build());
    Worker control = env.newWorker(TaskQueues.CONTROL);
    control.registerWorkflowImplementationTypes(ProvisionVmWorkflowImpl.class, NodeWorkflowImpl.class);
    control.registerActivitiesImplementations(placement, inventory, runs);
    Worker hostWorker = env.newWorker(TaskQueues.host(NODE));
    hostWorker.registerActivitiesImplementations(host, images, transfers);
    env.newWorker(TaskQueues.host(PEER)).registerActivitiesImplementations(peerImages, peerTransfers);
    client = env.getWorkflowClient();
  }

  /** Every activity succeeds, as on a healthy node. */
  ProvisionHarness stubHappyPath() {
    when(placement.reserve(anyString(), any()))
        .thenAnswer(inv -> new Placement(inv.getArgument(0), NODE, "QEMU"));
    when(host.createDisk(any())).thenReturn(new DiskInfo(DISK_PATH, "qcow2", 10L << 30));
    when(host.defineDomain(any())).thenAnswer(inv -> {
      DomainRequest r = inv.getArgument(0);
      return new DomainStatus(r.vmName(), r.uuid(), "shutoff", "kvm", null);
    });
    when(host.startDomain(anyString()))
        .thenAnswer(inv -> new DomainStatus(inv.getArgument(0), "ignored", "running", "kvm", null));
    when(host.verifyRunning(anyString()))
        .thenAnswer(inv -> new DomainStatus(inv.getArgument(0), "ignored", "running", "kvm", "/var/log/c.log"));
    return this;
  }

  ProvisionVmWorkflow newWorkflow(String workflowId) {
    return client.newWorkflowStub(
        ProvisionVmWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId(workflowId).setTaskQueue(TaskQueues.CONTROL).build());
  }

  /** Starts the workers, then runs the workflow to completion (or throws its failure). */
  ProvisionVmResult provision(String workflowId, ProvisionVmRequest request) {
    env.start();
    return newWorkflow(workflowId).provision(request);
  }

  DomainRequest definedDomain() {
    ArgumentCaptor<DomainRequest> captor = ArgumentCaptor.forClass(DomainRequest.class);
    verify(host).defineDomain(captor.capture());
    return captor.getValue();
  }

  /** Every phase change written to the run record, in order. */
  List<RunPhaseChange> phaseChanges() {
    ArgumentCaptor<RunPhaseChange> captor = ArgumentCaptor.forClass(RunPhaseChange.class);
    verify(runs, atLeastOnce()).phase(captor.capture());
    return captor.getAllValues();
  }

  List<String> phases() {
    return phaseChanges().stream().map(RunPhaseChange::phase).toList();
  }

  WorkflowExecutionHistory history(String workflowId) {
    return client.fetchHistory(workflowId);
  }

  @Override
  public void close() {
    env.close();
  }
}
