package io.novacron.workflows.provision;

import io.novacron.workflows.DataConversion;

import static io.novacron.workflows.provision.ProvisionHarness.REQUEST;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.when;

import io.novacron.workflows.FailureTypes;
import io.novacron.workflows.Replays;
import io.novacron.workflows.TaskQueues;
import io.novacron.workflows.host.HostActivities;
import io.novacron.workflows.run.RunStatus;
import io.temporal.activity.ActivityOptions;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowFailedException;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.NonDeterministicException;
import io.temporal.workflow.Workflow;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Replays recorded histories against the current {@link ProvisionVmWorkflowImpl}. A change to the
 * workflow that reorders, adds or removes commands (activities, local activities, timers) breaks
 * these replays, which is what would break runs in flight during a deploy.
 *
 * <p>The committed histories under {@code src/test/resources/histories/} are regenerated with
 * {@code mvn -pl workflows test -Dtest=ProvisionVmReplayTest -Dnovacron.writeHistories=true}; only
 * do so for a deliberate, versioned change (Workflow.getVersion), never to make a failure go away.
 */
class ProvisionVmReplayTest {
  static final String HAPPY_RESOURCE = "histories/provision-vm-succeeded.json";
  static final String ROLLBACK_RESOURCE = "histories/provision-vm-rolled-back.json";
  /**
   * A real provisioning in the lab (the chaos matrix's provision/libvirtd/start, before the restart
   * rule of GuestStart): lab-a's libvirtd was killed while it started the guest, the verify found
   * it shut off and the run rolled back. Recorded with {@code temporal workflow show -o json}.
   */
  static final String LAB_LIBVIRTD_RESOURCE = "histories/provision-vm-lab-libvirtd-restarted-mid-start.json";

  private static WorkflowExecutionHistory recordHappyPath() {
    try (ProvisionHarness h = new ProvisionHarness()) {
      h.stubHappyPath();
      h.provision("vm-web-1", REQUEST);
      return h.history("vm-web-1");
    }
  }

  private static WorkflowExecutionHistory recordRollback() {
    try (ProvisionHarness h = new ProvisionHarness()) {
      h.stubHappyPath();
      when(h.host.verifyRunning(anyString())).thenThrow(
          ApplicationFailure.newNonRetryableFailure("web-1 stopped while booting", FailureTypes.DOMAIN_NOT_RUNNING));
      assertThatThrownBy(() -> h.provision("vm-web-1", REQUEST)).isInstanceOf(WorkflowFailedException.class);
      return h.history("vm-web-1");
    }
  }

  private static List<String> scheduledActivityTypes(WorkflowExecutionHistory history) {
    return history.getEvents().stream()
        .filter(HistoryEvent::hasActivityTaskScheduledEventAttributes)
        .map(e -> e.getActivityTaskScheduledEventAttributes().getActivityType().getName())
        .toList();
  }

  private static TestWorkflowEnvironment novacronEnvironment() {
    return TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder()
        .setWorkflowClientOptions(DataConversion.clientOptions("default"))
        .build());
  }

  @Test
  void happyPathHistoryReplays() throws Exception {
    WorkflowExecutionHistory history = recordHappyPath();

    assertThat(history.getLastEvent().getEventType())
        .isEqualTo(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED);
    assertThat(scheduledActivityTypes(history)).containsExactly(
        "Placement.Reserve", "Host.CreateDisk", "Host.DefineDomain", "Host.StartDomain",
        "Host.VerifyRunning", "Inventory.RecordVm");
    Replays.replay(history, ProvisionVmWorkflowImpl.class);
  }

  @Test
  void rollbackHistoryReplays() throws Exception {
    WorkflowExecutionHistory history = recordRollback();

    assertThat(history.getLastEvent().getEventType())
        .isEqualTo(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED);
    assertThat(scheduledActivityTypes(history)).containsExactly(
        "Placement.Reserve", "Host.CreateDisk", "Host.DefineDomain", "Host.StartDomain",
        "Host.VerifyRunning", "Host.UndefineDomain", "Host.DeleteDisk", "Placement.Release");
    Replays.replay(history, ProvisionVmWorkflowImpl.class);
  }

  @Test
  void historiesSurviveAJsonRoundTrip() throws Exception {
    WorkflowExecutionHistory history = recordHappyPath();
    WorkflowExecutionHistory reread = WorkflowExecutionHistory.fromJson(history.toJson(true));
    assertThat(reread.getEvents()).hasSameSizeAs(history.getEvents());
    Replays.replay(reread, ProvisionVmWorkflowImpl.class);
  }

  @Test
  void replayerDetectsANonDeterministicChange() {
    // Guards the tests above: a workflow of the same type that issues other commands must not replay.
    WorkflowExecutionHistory history = recordHappyPath();
    Throwable thrown = catchThrowable(
        () -> Replays.replay(history, DivergingWorkflow.class));
    assertThat(thrown).isNotNull();
    assertThat(thrown.toString()).contains(NonDeterministicException.class.getName());
  }

  // --- committed histories ------------------------------------------------------------------

  @Test
  void committedSucceededHistoryReplays() throws Exception {
    assertCommittedHistoryReplays(HAPPY_RESOURCE, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED);
  }

  @Test
  void committedRolledBackHistoryReplays() throws Exception {
    assertCommittedHistoryReplays(ROLLBACK_RESOURCE, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED);
  }

  @Test
  void committedLabHistoryOfAStartThatLibvirtdCutShortReplays() throws Exception {
    assertCommittedHistoryReplays(LAB_LIBVIRTD_RESOURCE, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED);
  }

  private static void assertCommittedHistoryReplays(String resource, EventType lastEvent) throws Exception {
    WorkflowExecutionHistory history = WorkflowExecutionHistory.fromJson(readResource(resource));
    assertThat(history.getEvents().get(0).getWorkflowExecutionStartedEventAttributes()
        .getWorkflowType().getName()).isEqualTo(ProvisionVmWorkflow.TYPE);
    assertThat(history.getLastEvent().getEventType()).isEqualTo(lastEvent);

    // As production replays it: NovaCron's converter, the workflow on the control queue.
    TestWorkflowEnvironment env = novacronEnvironment();
    try {
      Replays.replay(history, env, ProvisionVmWorkflowImpl.class);
    } finally {
      env.close();
    }
    // And the plain form the SDK documents.
    WorkflowReplayer.replayWorkflowExecutionFromResource(resource, ProvisionVmWorkflowImpl.class);
  }

  private static String readResource(String resource) throws IOException {
    try (InputStream in = ProvisionVmReplayTest.class.getClassLoader().getResourceAsStream(resource)) {
      assertThat(in).as("resource " + resource).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** Rewrites the committed histories; only run on purpose (see the class comment). */
  @Test
  @EnabledIfSystemProperty(named = "novacron.writeHistories", matches = "true")
  void writeCommittedHistories() throws IOException {
    Path dir = Path.of("src/test/resources/histories");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve(Path.of(HAPPY_RESOURCE).getFileName()), recordHappyPath().toJson(true));
    Files.writeString(dir.resolve(Path.of(ROLLBACK_RESOURCE).getFileName()), recordRollback().toJson(true));
  }

  /**
   * The workflow as a careless edit might leave it: same type, but it reserves straight away and
   * skips the run record and the disk.
   */
  public static class DivergingWorkflow implements ProvisionVmWorkflow {
    private final PlacementActivities placement = Workflow.newActivityStub(PlacementActivities.class,
        ActivityOptions.newBuilder().setTaskQueue(TaskQueues.CONTROL)
            .setStartToCloseTimeout(Duration.ofSeconds(30)).build());

    @Override
    public ProvisionVmResult provision(ProvisionVmRequest request) {
      Placement placed = placement.reserve(Workflow.getInfo().getWorkflowId(), request);
      HostActivities host = Workflow.newActivityStub(HostActivities.class,
          ActivityOptions.newBuilder().setTaskQueue(TaskQueues.host(placed.node()))
              .setStartToCloseTimeout(Duration.ofMinutes(2)).build());
      host.startDomain(request.name());
      return null;
    }

    @Override
    public RunStatus status() {
      return null;
    }
  }
}
