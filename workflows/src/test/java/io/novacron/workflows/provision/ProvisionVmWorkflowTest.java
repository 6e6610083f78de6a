package io.novacron.workflows.provision;

import static io.novacron.workflows.provision.ProvisionHarness.DISK_PATH;
import static io.novacron.workflows.provision.ProvisionHarness.NODE;
import static io.novacron.workflows.provision.ProvisionHarness.REQUEST;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.verifyNoMoreInteractions;
import static org.mockito.Mockito.when;

import io.novacron.workflows.FailureTypes;
import io.novacron.workflows.StepOptions;
import io.novacron.workflows.TaskQueues;
import io.novacron.workflows.host.DiskRequest;
import io.novacron.workflows.host.DomainRequest;
import io.novacron.workflows.host.Nic;
import io.novacron.workflows.host.DomainStatus;
import io.novacron.workflows.host.GuestStart;
import io.novacron.workflows.node.VmRecord;
import io.novacron.workflows.run.PhaseEvent;
import io.novacron.workflows.run.RunPhaseChange;
import io.novacron.workflows.run.RunStarted;
import io.novacron.workflows.run.RunState;
import io.novacron.workflows.run.RunStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.TimeoutFailure;
import io.temporal.api.enums.v1.TimeoutType;
import io.temporal.api.history.v1.ActivityTaskScheduledEventAttributes;
import io.temporal.api.history.v1.HistoryEvent;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.mockito.ArgumentCaptor;
import org.mockito.InOrder;

class ProvisionVmWorkflowTest {
  private static final String ID = "vm-web-1";

  private ProvisionHarness h;

  @BeforeEach
  void setUp() {
    h = new ProvisionHarness();
  }

  @AfterEach
  void tearDown() {
    h.close();
  }

  private static ApplicationFailure nonRetryable(String message, String type) {
    return ApplicationFailure.newNonRetryableFailure(message, type);
  }

  /** Runs the workflow expecting it to fail; returns the ApplicationFailure at the root. */
  private ApplicationFailure provisionFails(ProvisionVmRequest request) {
    WorkflowFailedException failed = catchThrowableOfType(WorkflowFailedException.class,
        () -> h.provision(ID, request));
    assertThat(failed).as("workflow failed").isNotNull();
    Throwable root = failed.getCause();
    while (root.getCause() != null) {
      root = root.getCause();
    }
    assertThat(root).isInstanceOf(ApplicationFailure.class);
    return (ApplicationFailure) root;
  }

  // --- happy path ---------------------------------------------------------------------------

  @Test
  void happyPathProvisionsInOrderAndRecordsTheVm() {
    h.stubHappyPath();

    ProvisionVmResult result = h.provision(ID, REQUEST);

    DomainRequest domain = h.definedDomain();
    assertThat(result.name()).isEqualTo("web-1");
    assertThat(result.node()).isEqualTo(NODE);
    assertThat(result.domainType()).isEqualTo("kvm");
    assertThat(result.diskPath()).isEqualTo(DISK_PATH);
    assertThat(UUID.fromString(result.uuid())).hasToString(result.uuid());
    assertThat(domain).isEqualTo(new DomainRequest("web-1", result.uuid(), 2, 512, DISK_PATH, "tiny"));

    InOrder order = inOrder(h.placement, h.host, h.inventory);
    order.verify(h.placement).reserve(ID, REQUEST);
    order.verify(h.host).createDisk(new DiskRequest("web-1", 10, "tiny"));
    order.verify(h.host).defineDomain(domain);
    order.verify(h.host).startDomain("web-1");
    order.verify(h.host).verifyRunning("web-1");
    order.verify(h.inventory).recordVm(new VmRecord(
        "web-1", result.uuid(), NODE, "running", 2, 512, 10, "tiny", DISK_PATH, ID));

    verify(h.placement, never()).release(anyString());
    verifyNoMoreInteractions(h.placement, h.host, h.inventory);
  }

  @Test
  void eachNetworkGetsAVirtioNicWithAMacThatTheRecordKeeps() {
    h.stubHappyPath();
    ProvisionVmRequest request = new ProvisionVmRequest("web-1", 2, 512, 10, "tiny", null, List.of("lab", "default"));

    ProvisionVmResult result = h.provision(ID, request);

    List<Nic> nics = h.definedDomain().nics();
    assertThat(nics).extracting(Nic::network).containsExactly("lab", "default");
    assertThat(nics).allSatisfy(nic -> assertThat(nic.mac()).matches("52:54(:[0-9a-f]{2}){4}"));
    assertThat(nics.get(0).mac()).isNotEqualTo(nics.get(1).mac());
    verify(h.inventory).recordVm(new VmRecord(
        "web-1", result.uuid(), NODE, "running", 2, 512, 10, "tiny", DISK_PATH, ID, nics));
  }

  @Test
  void happyPathRecordsTheRunAndEveryPhase() {
    h.stubHappyPath();
    h.provision(ID, REQUEST);

    ArgumentCaptor<RunStarted> started = ArgumentCaptor.forClass(RunStarted.class);
    verify(h.runs).started(started.capture());
    assertThat(started.getValue().runId()).isEqualTo(ID);
    assertThat(started.getValue().type()).isEqualTo(ProvisionVmWorkflow.TYPE);
    assertThat(started.getValue().subject()).isEqualTo("web-1");
    assertThat(started.getValue().inputJson()).contains("\"name\":\"web-1\"", "\"image\":\"tiny\"");

    List<RunPhaseChange> changes = h.phaseChanges();
    assertThat(changes).extracting(RunPhaseChange::phase).containsExactly(
        "validate", "place", "prepare-storage", "define", "start", "verify", "record", "succeeded");
    assertThat(changes).allSatisfy(c -> assertThat(c.runId()).isEqualTo(ID));
    assertThat(changes.subList(0, changes.size() - 1))
        .allSatisfy(c -> assertThat(c.state()).isEqualTo(RunState.RUNNING));
    RunPhaseChange last = changes.get(changes.size() - 1);
    assertThat(last.state()).isEqualTo(RunState.SUCCEEDED);
    assertThat(last.node()).isEqualTo(NODE);
    assertThat(last.detail()).isEqualTo("running on " + NODE);
    // The node is known from the first phase after placement on.
    assertThat(changes.get(1).node()).isNull();
    assertThat(changes.get(2).node()).isEqualTo(NODE);
  }

  @Test
  void statusQueryAnswersAfterCompletion() {
    h.stubHappyPath();
    h.provision(ID, REQUEST);

    RunStatus status = h.client.newWorkflowStub(ProvisionVmWorkflow.class, ID).status();
    assertThat(status.state()).isEqualTo(RunState.SUCCEEDED);
    assertThat(status.phase()).isEqualTo("succeeded");
    assertThat(status.node()).isEqualTo(NODE);
    assertThat(status.timeline()).extracting(PhaseEvent::phase).containsExactly(
        "validate", "place", "prepare-storage", "define", "start", "verify", "record", "succeeded");
  }

  @Test
  void hostActivitiesArePinnedToTheNodeWithFastFailureAndEveryStepHasAHeartbeatTimeout() {
    h.stubHappyPath();
    h.provision(ID, REQUEST);

    Map<String, ActivityTaskScheduledEventAttributes> scheduled = h.history(ID).getEvents().stream()
        .filter(HistoryEvent::hasActivityTaskScheduledEventAttributes)
        .map(HistoryEvent::getActivityTaskScheduledEventAttributes)
        .collect(Collectors.toMap(a -> a.getActivityType().getName(), a -> a));
    assertThat(scheduled).containsOnlyKeys("Placement.Reserve", "Host.CreateDisk", "Host.DefineDomain",
        "Host.StartDomain", "Host.VerifyRunning", "Inventory.RecordVm");
    for (String type : List.of("Host.CreateDisk", "Host.DefineDomain", "Host.StartDomain")) {
      ActivityTaskScheduledEventAttributes a = scheduled.get(type);
      assertThat(a.getTaskQueue().getName()).as(type).isEqualTo("host.node-a");
      assertThat(a.getScheduleToStartTimeout().getSeconds()).as(type)
          .isEqualTo(StepOptions.HOST_SCHEDULE_TO_START.getSeconds());
      assertThat(a.getStartToCloseTimeout().getSeconds()).as(type).isEqualTo(120);
      // The agent heartbeats beside every step, so a killed agent is noticed in 30 s, not 2 min.
      assertThat(a.getHeartbeatTimeout().getSeconds()).as(type)
          .isEqualTo(StepOptions.GUEST_STEP_HEARTBEAT.getSeconds());
      assertThat(a.getRetryPolicy().getMaximumAttempts()).as(type).isEqualTo(5);
    }
    ActivityTaskScheduledEventAttributes verifying = scheduled.get("Host.VerifyRunning");
    assertThat(verifying.getTaskQueue().getName()).isEqualTo("host.node-a");
    assertThat(verifying.getScheduleToStartTimeout().getSeconds()).isEqualTo(30);
    assertThat(verifying.getStartToCloseTimeout().getSeconds()).isEqualTo(300);
    assertThat(verifying.getHeartbeatTimeout().getSeconds()).isEqualTo(30);
    assertThat(scheduled.get("Placement.Reserve").getTaskQueue().getName()).isEqualTo(TaskQueues.CONTROL);
    assertThat(scheduled.get("Inventory.RecordVm").getTaskQueue().getName()).isEqualTo(TaskQueues.CONTROL);
  }

  @Test
  void emptyImageRequestsAnEmptyDisk() {
    h.stubHappyPath();
    ProvisionVmRequest noImage = new ProvisionVmRequest("web-1", 1, 128, 1, "", null);
    ProvisionVmResult result = h.provision(ID, noImage);

    verify(h.host).createDisk(new DiskRequest("web-1", 1, null));
    assertThat(h.definedDomain().image()).isNull();
    verify(h.inventory).recordVm(new VmRecord(
        "web-1", result.uuid(), NODE, "running", 1, 128, 1, null, DISK_PATH, ID));
  }

  // --- validation ---------------------------------------------------------------------------

  @Test
  void invalidSpecFailsBeforeAnyPlacementOrHostCall() {
    ProvisionVmRequest bad = new ProvisionVmRequest("Web_1", 0, 512, 10, "tiny", null);

    ApplicationFailure failure = provisionFails(bad);

    assertThat(failure.getType()).isEqualTo(FailureTypes.INVALID_SPEC);
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage()).contains("name: 'Web_1' is not allowed", "vcpus: must be between");
    verifyNoInteractions(h.placement, h.host, h.inventory);
    assertThat(h.phases()).containsExactly("validate", "failed");
    RunPhaseChange last = h.phaseChanges().get(1);
    assertThat(last.state()).isEqualTo(RunState.FAILED);
    assertThat(last.detail()).isEqualTo(failure.getOriginalMessage());
  }

  @Test
  void nullRequestIsAnInvalidSpecNamingTheBody() {
    ApplicationFailure failure = provisionFails(null);

    assertThat(failure.getType()).isEqualTo(FailureTypes.INVALID_SPEC);
    assertThat(failure.getOriginalMessage()).startsWith("body: ");
    verifyNoInteractions(h.placement, h.host, h.inventory);
    ArgumentCaptor<RunStarted> started = ArgumentCaptor.forClass(RunStarted.class);
    verify(h.runs).started(started.capture());
    assertThat(started.getValue().subject()).isNull();
  }

  // --- placement failures -------------------------------------------------------------------

  @Test
  void noCapacityFailsReleasesAndTouchesNoHost() {
    String why = "no node can take web-1 (2 vCPUs, 512 MiB, 10 GiB): node-a: needs 512 MiB memory, 256 MiB free";
    when(h.placement.reserve(anyString(), any())).thenThrow(nonRetryable(why, FailureTypes.NO_CAPACITY));

    ApplicationFailure failure = provisionFails(REQUEST);

    assertThat(failure.getType()).isEqualTo(FailureTypes.NO_CAPACITY);
    assertThat(failure.getOriginalMessage()).isEqualTo(why);
    InOrder order = inOrder(h.placement);
    order.verify(h.placement).reserve(ID, REQUEST);
    order.verify(h.placement).release(ID);
    verifyNoInteractions(h.host, h.inventory);

    assertThat(h.phases()).containsExactly("validate", "place", "rollback", "failed");
    List<RunPhaseChange> changes = h.phaseChanges();
    assertThat(changes.get(2).detail()).isEqualTo(why);
    assertThat(changes.get(3).state()).isEqualTo(RunState.FAILED);
    assertThat(changes.get(3).detail()).isEqualTo(why);
    assertThat(changes.get(3).node()).isNull();
  }

  @Test
  void unknownNodeFailsTheSameWay() {
    when(h.placement.reserve(anyString(), any()))
        .thenThrow(nonRetryable("node 'node-x' is not known", FailureTypes.UNKNOWN_NODE));

    ApplicationFailure failure = provisionFails(new ProvisionVmRequest("web-1", 1, 128, 1, "tiny", "node-x"));

    assertThat(failure.getType()).isEqualTo(FailureTypes.UNKNOWN_NODE);
    verify(h.placement).release(ID);
    verifyNoInteractions(h.host, h.inventory);
  }

  // --- compensations ------------------------------------------------------------------------

  @Test
  void createDiskFailureDeletesTheDiskAndReleasesButDefinesNothing() {
    h.stubHappyPath();
    when(h.host.createDisk(any()))
        .thenThrow(nonRetryable("no image 'tiny' on node-a", FailureTypes.IMAGE_NOT_FOUND));

    ApplicationFailure failure = provisionFails(REQUEST);

    assertThat(failure.getType()).isEqualTo(FailureTypes.IMAGE_NOT_FOUND);
    InOrder order = inOrder(h.placement, h.host);
    order.verify(h.placement).reserve(ID, REQUEST);
    order.verify(h.host).createDisk(any());
    // deleteDisk is registered before createDisk (a timed-out create may have made the disk).
    order.verify(h.host).deleteDisk("web-1");
    order.verify(h.placement).release(ID);
    verify(h.host, never()).defineDomain(any());
    verify(h.host, never()).undefineDomain(anyString(), anyString());
    verifyNoMoreInteractions(h.host, h.placement);
    verifyNoInteractions(h.inventory);
    assertThat(h.phases()).containsExactly(
        "validate", "place", "prepare-storage", "rollback", "failed");
  }

  @Test
  void defineFailureUndefinesOnlyItsOwnUuidThenDeletesDiskThenReleases() {
    h.stubHappyPath();
    doThrow(nonRetryable("domain web-1 exists with another UUID", FailureTypes.DOMAIN_CONFLICT))
        .when(h.host).defineDomain(any());

    ApplicationFailure failure = provisionFails(REQUEST);

    assertThat(failure.getType()).isEqualTo(FailureTypes.DOMAIN_CONFLICT);
    String uuid = h.definedDomain().uuid();
    InOrder order = inOrder(h.placement, h.host);
    order.verify(h.host).defineDomain(any());
    order.verify(h.host).undefineDomain("web-1", uuid);
    order.verify(h.host).deleteDisk("web-1");
    order.verify(h.placement).release(ID);
    verify(h.host, never()).startDomain(anyString());
    verifyNoInteractions(h.inventory);
    assertThat(h.phases()).endsWith("define", "rollback", "failed");
  }

  @Test
  void startFailureRollsBackEverythingInReverseOrder() {
    h.stubHappyPath();
    when(h.host.startDomain(anyString()))
        .thenThrow(nonRetryable("cannot start web-1", FailureTypes.DOMAIN_NOT_RUNNING));

    ApplicationFailure failure = provisionFails(REQUEST);

    assertThat(failure.getType()).isEqualTo(FailureTypes.DOMAIN_NOT_RUNNING);
    assertFullRollback();
    verify(h.host, never()).verifyRunning(anyString());
    verifyNoInteractions(h.inventory);
    assertThat(h.phases()).endsWith("start", "rollback", "failed");
  }

  @Test
  void verifyFailureRollsBackEverythingInReverseOrder() {
    h.stubHappyPath();
    when(h.host.verifyRunning(anyString()))
        .thenThrow(nonRetryable("web-1 stopped while booting", FailureTypes.DOMAIN_NOT_RUNNING));

    ApplicationFailure failure = provisionFails(REQUEST);

    assertThat(failure.getType()).isEqualTo(FailureTypes.DOMAIN_NOT_RUNNING);
    assertFullRollback();
    verifyNoInteractions(h.inventory);
    List<RunPhaseChange> changes = h.phaseChanges();
    assertThat(changes).extracting(RunPhaseChange::phase).endsWith("verify", "rollback", "failed");
    RunPhaseChange rollback = changes.get(changes.size() - 2);
    assertThat(rollback.detail()).isEqualTo("web-1 stopped while booting");
    assertThat(rollback.node()).isEqualTo(NODE);
    assertThat(changes.get(changes.size() - 1).state()).isEqualTo(RunState.FAILED);
  }

  @Test
  void aGuestThatStopsDuringItsBootIsStartedAgainAndTheRunSucceeds() {
    h.stubHappyPath();
    // libvirtd restarted mid-start kills the half-started QEMU: the verify finds it shut off.
    when(h.host.verifyRunning("web-1"))
        .thenThrow(ApplicationFailure.newNonRetryableFailure("web-1 is shutoff, not running",
            FailureTypes.DOMAIN_NOT_RUNNING, "shutoff"))
        .thenAnswer(inv -> new DomainStatus("web-1", "u", "running", "kvm", null));

    ProvisionVmResult result = h.provision(ID, REQUEST);

    assertThat(result.node()).isEqualTo(NODE);
    verify(h.host, times(2)).startDomain("web-1");
    verify(h.host, never()).undefineDomain(anyString(), anyString());
    assertThat(h.phases()).containsSubsequence("start", "verify", "start", "verify", "record", "succeeded");
    assertThat(h.phaseChanges()).filteredOn(c -> c.phase().equals("start")).last()
        .extracting(RunPhaseChange::detail).asString().contains("again (1 of 2)").contains("shutoff");
  }

  @Test
  void aGuestThatKeepsStoppingIsStartedThreeTimesThenRolledBack() {
    h.stubHappyPath();
    when(h.host.verifyRunning("web-1")).thenThrow(ApplicationFailure.newNonRetryableFailure(
        "web-1 is crashed, not running", FailureTypes.DOMAIN_NOT_RUNNING, "crashed"));

    ApplicationFailure failure = provisionFails(REQUEST);

    assertThat(failure.getType()).isEqualTo(FailureTypes.DOMAIN_NOT_RUNNING);
    verify(h.host, times(1 + GuestStart.RESTARTS)).startDomain("web-1");
    assertFullRollback();
  }

  @Test
  void aGuestThatRunsButNeverGetsReadyIsNotStartedAgain() {
    h.stubHappyPath();
    when(h.host.verifyRunning("web-1")).thenThrow(ApplicationFailure.newNonRetryableFailure(
        "web-1 runs but did not print 'ready'", FailureTypes.DOMAIN_NOT_RUNNING));

    provisionFails(REQUEST);

    verify(h.host, times(1)).startDomain("web-1");
    assertFullRollback();
  }

  @Test
  void recordFailureRollsBackEverythingInReverseOrder() {
    h.stubHappyPath();
    doThrow(nonRetryable("inventory refused", "InventoryDown")).when(h.inventory).recordVm(any());

    ApplicationFailure failure = provisionFails(REQUEST);

    assertThat(failure.getType()).isEqualTo("InventoryDown");
    assertFullRollback();
    InOrder order = inOrder(h.host, h.inventory);
    order.verify(h.host).verifyRunning("web-1");
    order.verify(h.inventory).recordVm(any());
    order.verify(h.host).undefineDomain(anyString(), anyString());
    assertThat(h.phases()).endsWith("record", "rollback", "failed");
  }

  @Test
  void retryableActivityFailureIsRetriedBeforeRollingBack() {
    h.stubHappyPath();
    when(h.host.startDomain(anyString()))
        .thenThrow(new IllegalStateException("libvirt connection reset"))
        .thenAnswer(inv -> new DomainStatus("web-1", "u", "running", "kvm", null));

    ProvisionVmResult result = h.provision(ID, REQUEST);

    assertThat(result.node()).isEqualTo(NODE);
    verify(h.host, times(2)).startDomain("web-1");
    verify(h.host, never()).undefineDomain(anyString(), anyString());
  }

  @Test
  void failingCompensationDoesNotStopTheOthers() {
    h.stubHappyPath();
    when(h.host.verifyRunning(anyString()))
        .thenThrow(nonRetryable("web-1 stopped while booting", FailureTypes.DOMAIN_NOT_RUNNING));
    doThrow(nonRetryable("pool is read-only", "StorageError")).when(h.host).deleteDisk(anyString());

    ApplicationFailure failure = provisionFails(REQUEST);

    // The run fails with the step's failure, not the compensation's.
    assertThat(failure.getType()).isEqualTo(FailureTypes.DOMAIN_NOT_RUNNING);
    assertFullRollback();
    assertThat(h.phases()).endsWith("rollback", "failed");
  }

  @Test
  void compensationsRunEvenWhenTheRunRecordCannotBeWritten() {
    h.stubHappyPath();
    when(h.host.verifyRunning(anyString()))
        .thenThrow(nonRetryable("web-1 stopped while booting", FailureTypes.DOMAIN_NOT_RUNNING));
    doThrow(nonRetryable("database unavailable", "RecordFailed"))
        .when(h.runs).phase(argThat(c -> c != null && (c.phase().equals("rollback") || c.state().isTerminal())));

    ApplicationFailure failure = provisionFails(REQUEST);

    assertThat(failure.getType()).isEqualTo(FailureTypes.DOMAIN_NOT_RUNNING);
    assertFullRollback();
  }

  private void assertFullRollback() {
    String uuid = h.definedDomain().uuid();
    InOrder order = inOrder(h.placement, h.host);
    order.verify(h.placement).reserve(ID, REQUEST);
    order.verify(h.host).createDisk(any());
    order.verify(h.host).defineDomain(any());
    order.verify(h.host).startDomain("web-1");
    // Compensations run in reverse order of registration.
    order.verify(h.host).undefineDomain("web-1", uuid);
    order.verify(h.host).deleteDisk("web-1");
    order.verify(h.placement).release(ID);
    verify(h.host, never()).stopDomain(anyString());
  }

  // --- a dead node ---------------------------------------------------------------------------

  /**
   * Slow (about a minute of real time: the test server does not skip time while an activity task
   * waits for a poller, so both 30 s schedule-to-start timeouts elapse for real). Run with
   * {@code -Dnovacron.slowTests=true}.
   */
  @Test
  @EnabledIfSystemProperty(named = "novacron.slowTests", matches = "true")
  void deadNodeTimesOutAndStillReleasesTheReservation() {
    // Placement picks node-b, whose host agent is gone: nothing polls host.node-b.
    when(h.placement.reserve(anyString(), any()))
        .thenAnswer(inv -> new Placement(inv.getArgument(0), "node-b", "QEMU"));

    WorkflowFailedException failed = catchThrowableOfType(WorkflowFailedException.class,
        () -> h.provision(ID, REQUEST));

    assertThat(failed).isNotNull();
    assertThat(failed.getCause()).isInstanceOf(ActivityFailure.class);
    assertThat(failed.getCause().getCause()).isInstanceOf(TimeoutFailure.class);
    assertThat(((TimeoutFailure) failed.getCause().getCause()).getTimeoutType())
        .isEqualTo(TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_START);
    verify(h.placement).release(ID);
    verifyNoInteractions(h.host, h.inventory);
    List<RunPhaseChange> changes = h.phaseChanges();
    assertThat(changes).extracting(RunPhaseChange::phase)
        .endsWith("prepare-storage", "rollback", "failed");
    assertThat(changes.get(changes.size() - 1).node()).isEqualTo("node-b");
  }

  // --- cancellation -------------------------------------------------------------------------

  /** Starts a run, cancels it while verifyRunning is in progress, and waits for it to end. */
  private void cancelWhileVerifying() throws InterruptedException {
    h.stubHappyPath();
    CountDownLatch verifying = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    when(h.host.verifyRunning(anyString())).thenAnswer(inv -> {
      verifying.countDown();
      release.await(60, TimeUnit.SECONDS);
      return new DomainStatus("web-1", "u", "running", "kvm", null);
    });
    h.env.start();
    ProvisionVmWorkflow workflow = h.newWorkflow(ID);
    WorkflowClient.start(workflow::provision, REQUEST);
    try {
      assertThat(verifying.await(60, TimeUnit.SECONDS)).as("verifyRunning was called").isTrue();
      RunStatus during = h.client.newWorkflowStub(ProvisionVmWorkflow.class, ID).status();
      assertThat(during.phase()).isEqualTo("verify");
      assertThat(during.state()).isEqualTo(RunState.RUNNING);

      WorkflowStub untyped = WorkflowStub.fromTyped(workflow);
      untyped.cancel();
      WorkflowFailedException failed = catchThrowableOfType(WorkflowFailedException.class,
          () -> untyped.getResult(ProvisionVmResult.class));
      assertThat(failed).isNotNull();
      assertThat(failed.getCause()).as("the workflow ends cancelled").isInstanceOf(CanceledFailure.class);
    } finally {
      release.countDown();
    }
  }

  @Test
  void cancellationWhileVerifyingRollsBackEverything() throws Exception {
    cancelWhileVerifying();

    assertFullRollback();
    verifyNoInteractions(h.inventory);
    List<RunPhaseChange> changes = h.phaseChanges();
    assertThat(changes).extracting(RunPhaseChange::phase).containsSubsequence("verify", "rollback");
    assertThat(changes.get(changes.size() - 1).state().isTerminal()).isTrue();
  }

  @Test
  void cancelledRunIsRecordedAsCancelled() throws Exception {
    cancelWhileVerifying();

    List<RunPhaseChange> changes = h.phaseChanges();
    assertThat(changes).extracting(RunPhaseChange::phase).endsWith("verify", "rollback", "cancelled");
    assertThat(changes.get(changes.size() - 1).state()).isEqualTo(RunState.CANCELLED);
    RunStatus after = h.client.newWorkflowStub(ProvisionVmWorkflow.class, ID).status();
    assertThat(after.state()).isEqualTo(RunState.CANCELLED);
  }

  @Test
  void aCancelWhileTheGuestStartsIsWaitedForBeforeItsDomainIsUndefined() throws Exception {
    // The undo must not race a start the agent is still doing: undefining the domain while it
    // starts would leave a guest running from a deleted disk, or a domain libvirt defines again.
    h.stubHappyPath();
    CountDownLatch starting = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicBoolean inFlight = new AtomicBoolean();
    List<String> racing = new CopyOnWriteArrayList<>();
    when(h.host.startDomain("web-1")).thenAnswer(inv -> {
      inFlight.set(true);
      starting.countDown();
      try {
        release.await(60, TimeUnit.SECONDS);
        return new DomainStatus("web-1", "u", "running", "kvm", null);
      } finally {
        inFlight.set(false);
      }
    });
    doAnswer(inv -> {
      if (inFlight.get()) {
        racing.add("undefineDomain");
      }
      return null;
    }).when(h.host).undefineDomain(anyString(), anyString());
    h.env.start();
    ProvisionVmWorkflow workflow = h.newWorkflow(ID);
    WorkflowClient.start(workflow::provision, REQUEST);
    assertThat(starting.await(60, TimeUnit.SECONDS)).as("startDomain was called").isTrue();
    WorkflowStub untyped = WorkflowStub.fromTyped(workflow);
    untyped.cancel();
    Thread.sleep(1_500);
    assertThat(racing).isEmpty();
    verify(h.host, never()).undefineDomain(anyString(), anyString());
    release.countDown();

    WorkflowFailedException failed = catchThrowableOfType(WorkflowFailedException.class,
        () -> untyped.getResult(60, TimeUnit.SECONDS, ProvisionVmResult.class));
    assertThat(failed).isNotNull();
    assertThat(racing).isEmpty();
    assertFullRollback();
    verify(h.host, never()).verifyRunning(anyString());
    assertThat(h.phaseChanges().get(h.phaseChanges().size() - 1).state()).isEqualTo(RunState.CANCELLED);
  }
}
