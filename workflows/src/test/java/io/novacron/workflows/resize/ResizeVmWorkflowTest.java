package io.novacron.workflows.resize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
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
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.InOrder;

/**
 * ResizeVm with mocked activities, wired as in production: the workflow, the inventory and the
 * capacity on the control queue, the host agent's steps on {@code host.node-a} only.
 */
class ResizeVmWorkflowTest {
  private static final String ID = "resize-web-1-test";
  private static final String NODE = "node-a";
  private static final VmRecord STOPPED = new VmRecord("web-1", "uuid-1", NODE, "shutoff", 1, 256, 1, "tiny",
      "/disks/web-1.qcow2", "provision-web-1");

  private final HostActivities host = mock(HostActivities.class, withSettings().withoutAnnotations());
  private final VmStateActivities records = mock(VmStateActivities.class, withSettings().withoutAnnotations());
  private final ResizeActivities capacity = mock(ResizeActivities.class, withSettings().withoutAnnotations());
  private final RunRecordActivities runs = mock(RunRecordActivities.class, withSettings().withoutAnnotations());
  private TestWorkflowEnvironment env;

  @BeforeEach
  void setUp() {
    env = TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder()
        .setWorkflowClientOptions(DataConversion.clientOptions("default"))
        .build());
    Worker control = env.newWorker(TaskQueues.CONTROL);
    control.registerWorkflowImplementationTypes(ResizeVmWorkflowImpl.class);
    control.registerActivitiesImplementations(records, capacity, runs);
    env.newWorker(TaskQueues.host(NODE)).registerActivitiesImplementations(host);
  }

  @AfterEach
  void tearDown() {
    env.close();
  }

  @Test
  void resize_holds_the_growth_redefines_the_domain_grows_the_disk_then_records_the_size() {
    when(records.vmRecord("web-1")).thenReturn(STOPPED);

    ResizeVmResult result = resize(new ResizeVmRequest("web-1", 2, 512L, 4L));

    VmSize after = new VmSize(2, 512, 4);
    assertThat(result).isEqualTo(new ResizeVmResult("web-1", NODE, after, true));
    InOrder order = inOrder(capacity, host);
    order.verify(capacity).holdGrowth(ID, "web-1", NODE, new VmSize(1, 256, 3));
    order.verify(host).resizeDomain("web-1", "uuid-1", 2, 512);
    order.verify(host).growDisk("web-1", 4);
    order.verify(capacity).recordSize(ID, "web-1", "uuid-1", after);
    verify(capacity, never()).releaseGrowth(anyString());
    assertThat(phases()).containsExactly("check", "reserve", "resize-domain", "grow-disk", "record", "succeeded");
  }

  @Test
  void a_disk_grow_alone_leaves_the_domain_definition_alone() {
    when(records.vmRecord("web-1")).thenReturn(STOPPED);

    resize(new ResizeVmRequest("web-1", null, null, 8L));

    verify(host, never()).resizeDomain(anyString(), anyString(), anyInt(), anyLong());
    verify(host).growDisk("web-1", 8);
    verify(capacity).recordSize(ID, "web-1", "uuid-1", new VmSize(1, 256, 8));
  }

  @Test
  void a_shrink_of_memory_holds_nothing_and_the_record_gives_the_capacity_back() {
    when(records.vmRecord("web-1")).thenReturn(STOPPED);

    resize(new ResizeVmRequest("web-1", null, 128L, null));

    verify(capacity, never()).holdGrowth(anyString(), anyString(), anyString(), any());
    verify(host).resizeDomain("web-1", "uuid-1", 1, 128);
    verify(capacity).recordSize(ID, "web-1", "uuid-1", new VmSize(1, 128, 1));
  }

  @Test
  void the_same_size_again_changes_nothing() {
    when(records.vmRecord("web-1")).thenReturn(STOPPED);

    ResizeVmResult result = resize(new ResizeVmRequest("web-1", 1, 256L, 1L));

    assertThat(result.changed()).isFalse();
    verifyNoInteractions(host, capacity);
    assertThat(lastChange().state()).isEqualTo(RunState.SUCCEEDED);
    assertThat(lastChange().detail()).contains("nothing to change");
  }

  @Test
  void a_node_without_the_capacity_fails_the_run_with_what_is_free_and_touches_nothing() {
    when(records.vmRecord("web-1")).thenReturn(STOPPED);
    when(capacity.holdGrowth(eq(ID), eq("web-1"), eq(NODE), any()))
        .thenReturn("node 'node-a' cannot take the growth of web-1: needs 8192 MiB memory, 1024 MiB free");

    WorkflowFailedException failed = catchThrowableOfType(WorkflowFailedException.class,
        () -> resize(new ResizeVmRequest("web-1", null, 8448L, null)));

    assertThat(failed.getCause()).isInstanceOfSatisfying(ApplicationFailure.class,
        f -> assertThat(f.getType()).isEqualTo(FailureTypes.NO_CAPACITY));
    verifyNoInteractions(host);
    verify(capacity).releaseGrowth(ID);
    verify(capacity, never()).recordSize(anyString(), anyString(), anyString(), any());
    assertThat(lastChange().state()).isEqualTo(RunState.FAILED);
    assertThat(lastChange().detail()).contains("1024 MiB free");
  }

  @Test
  void a_failed_disk_grow_puts_the_old_size_back_and_releases_the_hold() {
    when(records.vmRecord("web-1")).thenReturn(STOPPED);
    doThrow(ApplicationFailure.newNonRetryableFailure("qemu-img resize failed", "IOException"))
        .when(host).growDisk("web-1", 4);

    WorkflowFailedException failed = catchThrowableOfType(WorkflowFailedException.class,
        () -> resize(new ResizeVmRequest("web-1", 2, null, 4L)));

    assertThat(failed).isNotNull();
    InOrder order = inOrder(host, capacity);
    order.verify(host).resizeDomain("web-1", "uuid-1", 2, 256);
    order.verify(host).growDisk("web-1", 4);
    order.verify(host).resizeDomain("web-1", "uuid-1", 1, 256);
    order.verify(capacity).releaseGrowth(ID);
    verify(capacity, never()).recordSize(anyString(), anyString(), anyString(), any());
    assertThat(phases()).contains("rollback");
    assertThat(lastChange().state()).isEqualTo(RunState.FAILED);
    assertThat(lastChange().detail()).contains("qemu-img resize failed");
  }

  @Test
  void a_running_vm_is_refused_before_anything_is_held() {
    when(records.vmRecord("web-1")).thenReturn(new VmRecord("web-1", "uuid-1", NODE, "running", 1, 256, 1,
        "tiny", "/disks/web-1.qcow2", "provision-web-1"));

    WorkflowFailedException failed = catchThrowableOfType(WorkflowFailedException.class,
        () -> resize(new ResizeVmRequest("web-1", 2, null, null)));

    assertThat(failed.getCause()).isInstanceOfSatisfying(ApplicationFailure.class,
        f -> assertThat(f.getType()).isEqualTo(FailureTypes.VM_NOT_STOPPED));
    verifyNoInteractions(host, capacity);
    assertThat(lastChange().detail()).contains("novacron vm stop web-1");
  }

  @Test
  void an_empty_request_is_refused_before_the_inventory_is_asked() {
    WorkflowFailedException failed = catchThrowableOfType(WorkflowFailedException.class,
        () -> resize(new ResizeVmRequest("web-1", null, null, null)));

    assertThat(failed).isNotNull();
    verifyNoInteractions(host, records, capacity);
    assertThat(lastChange().detail()).contains("at least one of vcpus, memoryMib and diskGib");
  }

  private ResizeVmResult resize(ResizeVmRequest request) {
    env.start();
    return env.getWorkflowClient().newWorkflowStub(ResizeVmWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId(ID).setTaskQueue(TaskQueues.CONTROL).build()).resize(request);
  }

  private List<String> phases() {
    return RecordedPhases.phases(runs);
  }

  private RunPhaseChange lastChange() {
    return RecordedPhases.last(runs);
  }
}
