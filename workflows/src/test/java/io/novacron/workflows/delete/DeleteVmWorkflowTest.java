package io.novacron.workflows.delete;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import io.novacron.workflows.DataConversion;
import io.novacron.workflows.FailureTypes;
import io.novacron.workflows.TaskQueues;
import io.novacron.workflows.host.HostActivities;
import io.novacron.workflows.node.VmRecord;
import io.novacron.workflows.node.VmStateActivities;
import io.novacron.workflows.run.RecordedPhases;
import io.novacron.workflows.run.RunPhaseChange;
import io.novacron.workflows.run.RunRecordActivities;
import io.novacron.workflows.run.RunState;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.InOrder;

/**
 * DeleteVm with mocked activities, wired as in production: the workflow and the inventory on the
 * control queue, the host agent's steps on {@code host.node-a} only.
 */
class DeleteVmWorkflowTest {
  private static final String ID = "delete-web-1-test";
  private static final String NODE = "node-a";
  private static final VmRecord WEB_1 = new VmRecord("web-1", "uuid-1", NODE, "running", 1, 256, 1, "tiny",
      "/disks/web-1.qcow2", "provision-web-1");

  private final HostActivities host = mock(HostActivities.class, withSettings().withoutAnnotations());
  private final VmStateActivities records = mock(VmStateActivities.class, withSettings().withoutAnnotations());
  private final RunRecordActivities runs = mock(RunRecordActivities.class, withSettings().withoutAnnotations());
  private TestWorkflowEnvironment env;

  @BeforeEach
  void setUp() {
    env = TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder()
        .setWorkflowClientOptions(DataConversion.clientOptions("default"))
        .build());
    Worker control = env.newWorker(TaskQueues.CONTROL);
    control.registerWorkflowImplementationTypes(DeleteVmWorkflowImpl.class);
    control.registerActivitiesImplementations(records, runs);
    env.newWorker(TaskQueues.host(NODE)).registerActivitiesImplementations(host);
  }

  @AfterEach
  void tearDown() {
    env.close();
  }

  @Test
  void delete_removes_the_domain_then_its_files_then_the_record() {
    when(records.vmRecord("web-1")).thenReturn(WEB_1);

    DeleteVmResult result = delete("web-1");

    assertThat(result).isEqualTo(new DeleteVmResult("web-1", NODE, true));
    InOrder order = inOrder(host, records);
    order.verify(host).undefineDomain("web-1", "uuid-1");
    order.verify(host).deleteDisk("web-1");
    order.verify(records).forgetVm("web-1", "uuid-1");
    assertThat(phases()).containsExactly("check", "destroy", "clean-up", "forget", "succeeded");
    assertThat(lastChange().node()).isEqualTo(NODE);
  }

  @Test
  void a_vm_the_inventory_no_longer_knows_is_already_deleted() {
    DeleteVmResult result = delete("web-1");

    assertThat(result).isEqualTo(new DeleteVmResult("web-1", null, false));
    verifyNoInteractions(host);
    verify(records, never()).forgetVm(anyString(), anyString());
    assertThat(lastChange().state()).isEqualTo(RunState.SUCCEEDED);
    assertThat(lastChange().detail()).contains("nothing to delete");
  }

  @Test
  void a_disk_another_domain_holds_fails_the_run_and_keeps_the_record() {
    when(records.vmRecord("web-1")).thenReturn(WEB_1);
    doThrow(ApplicationFailure.newNonRetryableFailure("a domain named web-1 (UUID other) is defined",
        FailureTypes.DISK_IN_USE)).when(host).deleteDisk("web-1");

    WorkflowFailedException failed = catchThrowableOfType(WorkflowFailedException.class, () -> delete("web-1"));

    assertThat(failed).isNotNull();
    verify(records, never()).forgetVm(anyString(), anyString());
    assertThat(lastChange().state()).isEqualTo(RunState.FAILED);
    assertThat(lastChange().detail()).contains("is defined");
  }

  @Test
  void a_bad_name_is_refused_before_the_inventory_is_asked() {
    WorkflowFailedException failed = catchThrowableOfType(WorkflowFailedException.class, () -> delete("../etc"));

    assertThat(failed).isNotNull();
    verifyNoInteractions(host, records);
    assertThat(lastChange().detail()).contains("vmName");
  }

  @Test
  void a_cancel_during_the_destroy_does_not_stop_the_delete_half_way() throws Exception {
    when(records.vmRecord("web-1")).thenReturn(WEB_1);
    CountDownLatch undefining = new CountDownLatch(1);
    CountDownLatch cancelled = new CountDownLatch(1);
    doAnswer(call -> {
      undefining.countDown();
      cancelled.await(30, TimeUnit.SECONDS);
      return null;
    }).when(host).undefineDomain("web-1", "uuid-1");
    env.start();
    DeleteVmWorkflow workflow = newWorkflow();
    WorkflowClient.start(workflow::delete, new DeleteVmRequest("web-1"));
    assertThat(undefining.await(30, TimeUnit.SECONDS)).isTrue();

    WorkflowStub stub = WorkflowStub.fromTyped(workflow);
    stub.cancel();
    cancelled.countDown();
    // Temporal closes an execution that was asked to cancel as cancelled, however it ended: the
    // run record and the steps taken say what happened.
    catchThrowableOfType(WorkflowFailedException.class, () -> stub.getResult(DeleteVmResult.class));

    verify(host).deleteDisk("web-1");
    verify(records).forgetVm("web-1", "uuid-1");
    assertThat(lastChange().state()).isEqualTo(RunState.SUCCEEDED);
    assertThat(lastChange().detail()).contains("cancel came too late");
  }

  private DeleteVmResult delete(String vm) {
    env.start();
    return newWorkflow().delete(new DeleteVmRequest(vm));
  }

  private DeleteVmWorkflow newWorkflow() {
    return env.getWorkflowClient().newWorkflowStub(DeleteVmWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId(ID).setTaskQueue(TaskQueues.CONTROL).build());
  }

  private List<RunPhaseChange> changes() {
    return RecordedPhases.changes(runs);
  }

  private List<String> phases() {
    return RecordedPhases.phases(runs);
  }

  private RunPhaseChange lastChange() {
    return RecordedPhases.last(runs);
  }
}
