package io.novacron.workflows.power;

import io.novacron.workflows.DataConversion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import io.novacron.workflows.FailureTypes;
import io.novacron.workflows.TaskQueues;
import io.novacron.workflows.host.DomainStatus;
import io.novacron.workflows.host.HostActivities;
import io.novacron.workflows.migrate.MigrationActivities;
import io.novacron.workflows.node.InventoryActivities;
import io.novacron.workflows.node.VmStateActivities;
import io.novacron.workflows.run.RecordedPhases;
import io.novacron.workflows.run.RunPhaseChange;
import io.novacron.workflows.run.RunRecordActivities;
import io.novacron.workflows.run.RunStarted;
import io.novacron.workflows.run.RunState;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.TimeoutFailure;
import io.temporal.api.enums.v1.TimeoutType;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.mockito.InOrder;

/**
 * VmPower with mocked activities, wired as in production: the workflow and the control activities
 * on the control queue, the host agent's on {@code host.node-a} only, so a step sent to any other
 * queue would never run.
 */
class VmPowerWorkflowTest {
  private static final String ID = "power-web-1-test";
  private static final String NODE = "node-a";

  private final HostActivities host = mock(HostActivities.class, withSettings().withoutAnnotations());
  private final MigrationActivities agent = mock(MigrationActivities.class, withSettings().withoutAnnotations());
  private final InventoryActivities inventory = mock(InventoryActivities.class, withSettings().withoutAnnotations());
  private final VmStateActivities vmStates = mock(VmStateActivities.class, withSettings().withoutAnnotations());
  private final RunRecordActivities runs = mock(RunRecordActivities.class, withSettings().withoutAnnotations());
  private TestWorkflowEnvironment env;

  @BeforeEach
  void setUp() {
    env = TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder()
        .setWorkflowClientOptions(DataConversion.clientOptions("default"))
        .build());
    Worker control = env.newWorker(TaskQueues.CONTROL);
    control.registerWorkflowImplementationTypes(VmPowerWorkflowImpl.class);
    control.registerActivitiesImplementations(inventory, vmStates, runs);
    env.newWorker(TaskQueues.host(NODE)).registerActivitiesImplementations(host, agent);
    when(inventory.vmNode("web-1")).thenReturn(NODE);
  }

  @AfterEach
  void tearDown() {
    env.close();
  }

  @Test
  void stop_shuts_the_guest_down_on_its_node_and_records_shutoff() {
    when(agent.shutdownForMove("web-1", 30)).thenReturn(status("shutoff"));

    VmPowerResult result = power(new VmPowerRequest("web-1", PowerAction.STOP, 30));

    assertThat(result).isEqualTo(new VmPowerResult("web-1", NODE, "shutoff"));
    InOrder order = inOrder(inventory, agent, vmStates);
    order.verify(inventory).vmNode("web-1");
    order.verify(agent).shutdownForMove("web-1", 30);
    order.verify(vmStates).recordVmState("web-1", "shutoff", ID);
    verifyNoInteractions(host);
    assertThat(phases()).containsExactly("check", "shutdown", "record", "succeeded");
    assertThat(lastChange().state()).isEqualTo(RunState.SUCCEEDED);
    assertThat(lastChange().node()).isEqualTo(NODE);
  }

  @Test
  void stop_without_a_grace_period_gives_the_guest_the_default() {
    when(agent.shutdownForMove("web-1", VmPowerRequest.DEFAULT_GRACE_SECONDS)).thenReturn(status("shutoff"));

    power(new VmPowerRequest("web-1", PowerAction.STOP, null));

    verify(agent).shutdownForMove("web-1", VmPowerRequest.DEFAULT_GRACE_SECONDS);
  }

  @Test
  void start_boots_the_guest_waits_until_it_is_ready_and_records_running() {
    when(host.startDomain("web-1")).thenReturn(status("running"));
    when(host.verifyRunning("web-1")).thenReturn(status("running"));

    VmPowerResult result = power(new VmPowerRequest("web-1", PowerAction.START, null));

    assertThat(result.state()).isEqualTo("running");
    InOrder order = inOrder(host, vmStates);
    order.verify(host).startDomain("web-1");
    order.verify(host).verifyRunning("web-1");
    order.verify(vmStates).recordVmState("web-1", "running", ID);
    verifyNoInteractions(agent);
    assertThat(phases()).containsExactly("check", "start", "verify", "record", "succeeded");

    ArgumentCaptor<RunStarted> started = ArgumentCaptor.forClass(RunStarted.class);
    verify(runs).started(started.capture());
    assertThat(started.getValue().type()).isEqualTo(VmPowerWorkflow.TYPE);
    assertThat(started.getValue().subject()).isEqualTo("web-1");
    assertThat(started.getValue().inputJson()).contains("\"action\":\"start\"");
  }

  @Test
  void reboot_shuts_the_guest_down_then_starts_and_verifies_it() {
    when(agent.shutdownForMove("web-1", 20)).thenReturn(status("shutoff"));
    when(host.startDomain("web-1")).thenReturn(status("running"));
    when(host.verifyRunning("web-1")).thenReturn(status("running"));

    VmPowerResult result = power(new VmPowerRequest("web-1", PowerAction.REBOOT, 20));

    assertThat(result.state()).isEqualTo("running");
    InOrder order = inOrder(agent, host, vmStates);
    order.verify(agent).shutdownForMove("web-1", 20);
    order.verify(host).startDomain("web-1");
    order.verify(host).verifyRunning("web-1");
    order.verify(vmStates).recordVmState("web-1", "running", ID);
    assertThat(phases()).containsExactly("check", "shutdown", "start", "verify", "record", "succeeded");
  }

  @Test
  void a_start_whose_guest_does_not_come_up_fails_and_the_inventory_gets_libvirts_state() {
    when(host.startDomain("web-1")).thenReturn(status("running"));
    when(host.verifyRunning("web-1")).thenThrow(ApplicationFailure.newNonRetryableFailure(
        "web-1 is shutoff, not running", FailureTypes.DOMAIN_NOT_RUNNING));
    when(host.status("web-1")).thenReturn(status("shutoff"));

    ApplicationFailure failure = fails(new VmPowerRequest("web-1", PowerAction.START, null));

    assertThat(failure.getType()).isEqualTo(FailureTypes.DOMAIN_NOT_RUNNING);
    verify(vmStates).recordVmState("web-1", "shutoff", ID);
    assertThat(phases()).containsExactly("check", "start", "verify", "failed");
    assertThat(lastChange().detail()).contains("not running");
  }

  @Test
  void a_start_whose_guest_stops_during_its_boot_starts_it_again() {
    when(host.startDomain("web-1")).thenReturn(status("running"));
    when(host.verifyRunning("web-1"))
        .thenThrow(ApplicationFailure.newNonRetryableFailure("web-1 is shutoff, not running",
            FailureTypes.DOMAIN_NOT_RUNNING, "shutoff"))
        .thenReturn(status("running"));

    VmPowerResult result = power(new VmPowerRequest("web-1", PowerAction.START, null));

    assertThat(result.state()).isEqualTo("running");
    verify(host, times(2)).startDomain("web-1");
    assertThat(phases()).containsExactly("check", "start", "verify", "start", "verify", "record", "succeeded");
  }

  @Test
  void a_vm_the_inventory_does_not_know_is_refused_without_touching_a_node() {
    ApplicationFailure failure = fails(new VmPowerRequest("ghost", PowerAction.STOP, null));

    assertThat(failure.getType()).isEqualTo(FailureTypes.INVALID_SPEC);
    assertThat(failure.getOriginalMessage()).contains("vmName", "'ghost' is not in the inventory");
    verifyNoInteractions(host, agent, vmStates);
    assertThat(phases()).containsExactly("check", "failed");
  }

  /** Waits out the real 30 s schedule-to-start timeout; run with {@code -Dnovacron.slowTests=true}. */
  @Test
  @EnabledIfSystemProperty(named = "novacron.slowTests", matches = "true")
  void a_node_whose_agent_does_not_answer_fails_the_run_without_a_second_wait() {
    when(inventory.vmNode("web-2")).thenReturn("node-gone");

    WorkflowFailedException failed = catchThrowableOfType(WorkflowFailedException.class,
        () -> power(new VmPowerRequest("web-2", PowerAction.STOP, 0)));

    assertThat(failed).isNotNull();
    assertThat(lastChange().state()).isEqualTo(RunState.FAILED);
    assertThat(phases()).containsExactly("check", "shutdown", "failed");
    verifyNoInteractions(host, agent, vmStates);
  }

  @Test
  void only_a_step_no_agent_took_counts_as_the_agent_being_absent() {
    TimeoutFailure notTaken = new TimeoutFailure("not taken", null, TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_START);
    TimeoutFailure tooSlow = new TimeoutFailure("too slow", null, TimeoutType.TIMEOUT_TYPE_START_TO_CLOSE);
    assertThat(VmPowerWorkflowImpl.agentAbsent(new RuntimeException("activity", notTaken))).isTrue();
    assertThat(VmPowerWorkflowImpl.agentAbsent(new RuntimeException("activity", tooSlow))).isFalse();
    assertThat(VmPowerWorkflowImpl.agentAbsent(ApplicationFailure.newFailure("refused", "X"))).isFalse();
  }

  @Test
  void bad_fields_are_refused_before_the_inventory_is_asked() {
    ApplicationFailure failure = fails(new VmPowerRequest("web-1", PowerAction.STOP, -5));

    assertThat(failure.getType()).isEqualTo(FailureTypes.INVALID_SPEC);
    assertThat(failure.getOriginalMessage()).contains("graceSeconds");
    verify(inventory, never()).vmNode(anyString());
    verifyNoInteractions(host, agent, vmStates);
  }

  @Test
  void a_cancelled_stop_ends_cancelled_and_records_the_state_the_guest_is_in() throws Exception {
    CountDownLatch shuttingDown = new CountDownLatch(1);
    when(agent.shutdownForMove("web-1", 600)).thenAnswer(call -> {
      shuttingDown.countDown();
      for (int i = 0; i < 200; i++) {
        io.temporal.activity.Activity.getExecutionContext().heartbeat(i);
        Thread.sleep(50);
      }
      return status("shutoff");
    });
    when(host.status("web-1")).thenReturn(status("running"));
    env.start();
    VmPowerWorkflow workflow = newWorkflow();
    WorkflowClient.start(workflow::power, new VmPowerRequest("web-1", PowerAction.STOP, 600));
    assertThat(shuttingDown.await(30, TimeUnit.SECONDS)).isTrue();

    WorkflowStub stub = WorkflowStub.fromTyped(workflow);
    stub.cancel();
    WorkflowFailedException failed = catchThrowableOfType(WorkflowFailedException.class,
        () -> stub.getResult(VmPowerResult.class));

    assertThat(failed).isNotNull();
    assertThat(failed.getCause()).isInstanceOf(CanceledFailure.class);
    verify(vmStates).recordVmState("web-1", "running", ID);
    assertThat(lastChange().state()).isEqualTo(RunState.CANCELLED);
  }

  private VmPowerResult power(VmPowerRequest request) {
    env.start();
    return newWorkflow().power(request);
  }

  private ApplicationFailure fails(VmPowerRequest request) {
    WorkflowFailedException failed = catchThrowableOfType(WorkflowFailedException.class, () -> power(request));
    assertThat(failed).as("the run failed").isNotNull();
    Throwable root = failed.getCause();
    while (root.getCause() != null) {
      root = root.getCause();
    }
    assertThat(root).isInstanceOf(ApplicationFailure.class);
    return (ApplicationFailure) root;
  }

  private VmPowerWorkflow newWorkflow() {
    return env.getWorkflowClient().newWorkflowStub(VmPowerWorkflow.class,
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

  private static DomainStatus status(String state) {
    return new DomainStatus("web-1", "uuid-web-1", state, "qemu", null);
  }

}
