package io.novacron.workflows.node;

import io.novacron.workflows.DataConversion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.timeout;
import static org.mockito.Mockito.verify;

import io.novacron.workflows.Replays;
import io.novacron.workflows.TaskQueues;
import com.google.protobuf.ByteString;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.BatchRequest;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.WorkflowExecutionHistory;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mockito.ArgumentCaptor;

class NodeWorkflowTest {
  private static final String NODE = "node-a";
  /** A bound on waiting for the worker, never a timing assertion. */
  private static final int WAIT_MS = 30_000;

  @RegisterExtension
  final NodeWorkflowTestServer server = new NodeWorkflowTestServer();
  private final InventoryActivities inventory = server.inventory();

  private static NodeFacts facts(int generation) {
    return new NodeFacts(NODE, "lab-a", "EPYC", 16, 65536, "qemu:///system", "QEMU", "kvm",
        500, 400 - generation, List.of("tiny"), "0.1." + generation, 10,
        List.of(new DomainFact("web1", "6695eb01-f6a4-8304-79aa-97f2502e193f", "running", 2, 2048)),
        1_700_000_000_000L + generation);
  }

  private static GpuInventory gpus(int generation) {
    return new GpuInventory(NODE, "nvidia-smi", "550.54",
        List.of(new GpuInfo(0, "NVIDIA H100 80GB HBM3", "GPU-1", 81559, generation)), "0.1.0", 10);
  }

  /** What an agent's announcer sends: signal-with-start of the node's workflow. */
  private void announceHost(NodeFacts facts) {
    NodeWorkflow workflow = stub();
    BatchRequest request = server.client().newSignalWithStartRequest();
    request.add(workflow::run, NODE);
    request.add(workflow::announceHost, facts);
    server.client().signalWithStart(request);
  }

  private void announceGpus(GpuInventory inventory) {
    NodeWorkflow workflow = stub();
    BatchRequest request = server.client().newSignalWithStartRequest();
    request.add(workflow::run, NODE);
    request.add(workflow::announceGpus, inventory);
    server.client().signalWithStart(request);
  }

  private NodeWorkflow stub() {
    return server.client().newWorkflowStub(NodeWorkflow.class, WorkflowOptions.newBuilder()
        .setWorkflowId(NodeWorkflow.workflowId(NODE)).setTaskQueue(TaskQueues.CONTROL).build());
  }

  private List<HistoryEvent> events(String runId) {
    WorkflowExecutionHistory history = runId == null
        ? server.client().fetchHistory(NodeWorkflow.workflowId(NODE))
        : server.client().fetchHistory(NodeWorkflow.workflowId(NODE), runId);
    return history.getEvents();
  }

  /** Waits (bounded) until the current run is one continued from another; returns that other. */
  private String awaitContinuedRun() throws InterruptedException {
    long deadline = System.currentTimeMillis() + WAIT_MS;
    while (System.currentTimeMillis() < deadline) {
      String previous = events(null).get(0).getWorkflowExecutionStartedEventAttributes()
          .getContinuedExecutionRunId();
      if (!previous.isEmpty()) {
        return previous;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("the node workflow did not continue as new");
  }

  @Test
  void workflowIdIsDerivedFromTheNode() {
    assertThat(NodeWorkflow.workflowId("node-a")).isEqualTo("node-node-a");
  }

  @Test
  void hostAnnouncementStartsTheWorkflowAndIsRecorded() {
    NodeFacts facts = facts(1);
    announceHost(facts);

    verify(inventory, timeout(WAIT_MS)).recordNode(facts);
    verify(inventory, never()).recordGpus(any());
    HistoryEvent started = events(null).get(0);
    assertThat(started.getWorkflowExecutionStartedEventAttributes().getWorkflowType().getName())
        .isEqualTo("Node");
    assertThat(started.getWorkflowExecutionStartedEventAttributes().getTaskQueue().getName())
        .isEqualTo(TaskQueues.CONTROL);
  }

  @Test
  void theNodesDomainsAndWhenTheyWereReadReachTheInventory() {
    NodeFacts facts = facts(7);
    announceHost(facts);

    ArgumentCaptor<NodeFacts> recorded = ArgumentCaptor.forClass(NodeFacts.class);
    verify(inventory, timeout(WAIT_MS)).recordNode(recorded.capture());
    assertThat(recorded.getValue().domains())
        .containsExactly(new DomainFact("web1", "6695eb01-f6a4-8304-79aa-97f2502e193f", "running", 2, 2048));
    assertThat(recorded.getValue().collectedAtMillis()).isEqualTo(1_700_000_000_007L);
  }

  @Test
  void anOlderAgentsAnnouncementWithoutDomainsReadsAsNull() {
    // What a host agent from before the domains field sends: the control plane must not take an
    // absent list for "no domains" (that would mark every VM of the node missing).
    Payload older = Payload.newBuilder()
        .putMetadata("encoding", ByteString.copyFromUtf8("json/plain"))
        .setData(ByteString.copyFromUtf8("{\"node\":\"node-a\",\"hostname\":\"lab-a\",\"cpus\":16,"
            + "\"memoryMib\":65536,\"images\":[\"tiny\"],\"agentVersion\":\"0.0.9\",\"announceIntervalSeconds\":15}"))
        .build();

    NodeFacts read = DataConversion.converter().fromPayload(older, NodeFacts.class, NodeFacts.class);

    assertThat(read.node()).isEqualTo("node-a");
    assertThat(read.domains()).isNull();
    assertThat(read.collectedAtMillis()).isZero();
  }

  @Test
  void gpuAnnouncementIsRecorded() {
    GpuInventory inventory = gpus(1);
    announceGpus(inventory);

    verify(this.inventory, timeout(WAIT_MS)).recordGpus(inventory);
    verify(this.inventory, never()).recordNode(any());
  }

  @Test
  void laterAnnouncementsSignalTheSameRun() {
    announceHost(facts(1));
    verify(inventory, timeout(WAIT_MS)).recordNode(facts(1));
    announceGpus(gpus(1));
    verify(inventory, timeout(WAIT_MS)).recordGpus(gpus(1));
    announceHost(facts(2));
    verify(inventory, timeout(WAIT_MS)).recordNode(facts(2));

    List<HistoryEvent> events = events(null);
    assertThat(events).filteredOn(e -> e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED)
        .hasSize(1);
    assertThat(events).filteredOn(e -> e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED)
        .hasSize(3);
  }

  @Test
  void onlyTheNewestPendingAnnouncementIsRecorded() throws Exception {
    CountDownLatch firstRecording = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    doAnswer(inv -> {
      if (inv.getArgument(0).equals(facts(1))) {
        firstRecording.countDown();
        release.await(WAIT_MS, TimeUnit.MILLISECONDS);
      }
      return null;
    }).when(inventory).recordNode(any());

    announceHost(facts(1));
    assertThat(firstRecording.await(WAIT_MS, TimeUnit.MILLISECONDS)).isTrue();
    // Both arrive while facts(1) is being recorded; only the newer one is recorded after it.
    announceHost(facts(2));
    announceHost(facts(3));
    release.countDown();

    verify(inventory, timeout(WAIT_MS)).recordNode(facts(3));
    verify(inventory, timeout(WAIT_MS).times(2)).recordNode(any());
    verify(inventory, never()).recordNode(facts(2));
  }

  @Test
  void continuesAsNewAfterEnoughAnnouncementsWithoutLosingPendingOnes() throws Exception {
    int limit = NodeWorkflowImpl.ANNOUNCEMENTS_PER_RUN;
    AtomicInteger recordings = new AtomicInteger();
    CountDownLatch lastOfRun = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    doAnswer(inv -> {
      if (recordings.incrementAndGet() == limit) {
        lastOfRun.countDown();
        release.await(WAIT_MS, TimeUnit.MILLISECONDS);
      }
      return null;
    }).when(inventory).recordNode(any());

    // One announcement at a time, each recorded before the next, so none is coalesced.
    for (int i = 1; i < limit; i++) {
      announceHost(facts(i));
      verify(inventory, timeout(WAIT_MS)).recordNode(facts(i));
    }
    announceHost(facts(limit));
    assertThat(lastOfRun.await(WAIT_MS, TimeUnit.MILLISECONDS)).isTrue();
    // These arrive while the run's last counted announcement is being recorded.
    announceGpus(gpus(1));
    announceHost(facts(limit + 1));
    release.countDown();
    verify(inventory, timeout(WAIT_MS)).recordGpus(gpus(1));
    verify(inventory, timeout(WAIT_MS)).recordNode(facts(limit + 1));

    // Wait for the new run before announcing to it: a signal that reaches the old run while it is
    // completing its continue-as-new is not carried over.
    String firstRunId = awaitContinuedRun();
    announceHost(facts(limit + 2));
    verify(inventory, timeout(WAIT_MS)).recordNode(facts(limit + 2));

    List<HistoryEvent> current = events(null);
    List<HistoryEvent> first = events(firstRunId);
    assertThat(first.get(first.size() - 1).getEventType())
        .isEqualTo(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW);
    assertThat(first).filteredOn(HistoryEvent::hasActivityTaskScheduledEventAttributes)
        .hasSize(limit + 2); // the counted ones plus the two pending at the end
    assertThat(current).filteredOn(HistoryEvent::hasActivityTaskScheduledEventAttributes)
        .hasSize(1);

    // Both runs replay against the current code.
    Replays.replay(
        server.client().fetchHistory(NodeWorkflow.workflowId(NODE), firstRunId), NodeWorkflowImpl.class);
  }
}
