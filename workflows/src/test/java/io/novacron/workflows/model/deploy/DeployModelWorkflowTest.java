package io.novacron.workflows.model.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.atLeastOnce;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.timeout;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import io.novacron.workflows.FailureTypes;
import io.novacron.workflows.TaskQueues;
import io.novacron.workflows.model.ModelShape;
import io.novacron.workflows.node.GpuInfo;
import io.novacron.workflows.node.GpuInventory;
import io.novacron.workflows.run.RunRecordActivities;
import io.novacron.workflows.run.RunState;
import io.novacron.workflows.transfer.CloseReceiveRequest;
import io.novacron.workflows.transfer.ReceiveEndpoint;
import io.novacron.workflows.transfer.ReceiveOutcome;
import io.novacron.workflows.transfer.TransferActivities;
import io.novacron.workflows.transfer.TransferFailures;
import io.novacron.workflows.transfer.TransferRequest;
import io.novacron.workflows.transfer.TransferResult;
import io.temporal.activity.Activity;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * DeployModel and its per-node children with mocked GPU agents on gpu-a (source), gpu-b and gpu-c. Runs on
 * the in-process test server; {@code -Dnovacron.temporal=HOST:PORT} runs the same tests against a
 * dev server ({@code temporal server start-dev}), namespace {@code default}.
 */
class DeployModelWorkflowTest {
  static final ModelShape TINY = ModelShape.llama("tiny", 4, 64, 8, 2, 128, 96, false);
  static final List<ShardFileRef> FILES = List.of(
      new ShardFileRef("model-pp00-tp00.safetensors", 0, 1000, "aa"),
      new ShardFileRef("shard-manifest.json", ShardFileRef.EVERY_RANK, 100, "bb"),
      new ShardFileRef("config.json", ShardFileRef.EVERY_RANK, 10, "cc"));

  @RegisterExtension
  static final TestWorkflowExtension testWorkflow = extension();

  private static TestWorkflowExtension extension() {
    TestWorkflowExtension.Builder builder = TestWorkflowExtension.newBuilder()
        .setWorkflowTypes(DeployModelWorkflowImpl.class, NodeDeployWorkflowImpl.class)
        .setUseTimeskipping(false)
        .setDoNotStart(true);
    String external = System.getProperty("novacron.temporal");
    return external == null ? builder.build() : builder.useExternalService(external).setNamespace("default").build();
  }

  private final RunRecordActivities runs = mock(RunRecordActivities.class, withSettings().withoutAnnotations());
  private final GpuActivities gpuA = mock(GpuActivities.class, withSettings().withoutAnnotations());
  private final GpuActivities gpuB = mock(GpuActivities.class, withSettings().withoutAnnotations());
  private final TransferActivities transferA = mock(TransferActivities.class, withSettings().withoutAnnotations());
  private final TransferActivities transferB = mock(TransferActivities.class, withSettings().withoutAnnotations());
  private final GpuActivities gpuC = mock(GpuActivities.class, withSettings().withoutAnnotations());
  private final TransferActivities transferC = mock(TransferActivities.class, withSettings().withoutAnnotations());
  /** Commits and sends as the agents saw them, in order: "commit gpu-b f", "send gpu-b>gpu-c f". */
  private final List<String> events = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp(TestWorkflowEnvironment env, Worker worker) {
    worker.registerActivitiesImplementations(runs);
    env.newWorker(TaskQueues.gpu("gpu-a")).registerActivitiesImplementations(gpuA, transferA);
    env.newWorker(TaskQueues.gpu("gpu-b")).registerActivitiesImplementations(gpuB, transferB);
    env.newWorker(TaskQueues.gpu("gpu-c")).registerActivitiesImplementations(gpuC, transferC);
    env.start();

    when(gpuA.inventory()).thenReturn(inventory("gpu-a", 81920));
    when(gpuB.inventory()).thenReturn(inventory("gpu-b", 81920));
    when(gpuC.inventory()).thenReturn(inventory("gpu-c", 81920));
    when(gpuA.inspectCheckpoint("ckpt/tiny")).thenReturn(new CheckpointSummary("/data/ckpt/tiny", TINY, "bf16", 1000, 40));
    when(gpuA.shardCheckpoint(any())).thenReturn(new ShardSet("shards/tiny", FILES, 0.5));
    for (var node : List.of(Map.entry("gpu-a", transferA), Map.entry("gpu-b", transferB),
        Map.entry("gpu-c", transferC))) {
      when(node.getValue().openReceive(any())).thenAnswer(i -> endpoint(i.getArgument(0)));
      when(node.getValue().closeReceive(any())).thenAnswer(i -> {
        CloseReceiveRequest r = i.getArgument(0);
        events.add((r.commit() ? "commit " : "abort ") + node.getKey() + " " + r.expectedSha256());
        return new ReceiveOutcome(r.transferId(), r.commit() ? ReceiveOutcome.State.COMMITTED : ReceiveOutcome.State.ABORTED,
            "x", r.expectedSize(), r.expectedSha256());
      });
    }
    // gpu-a sends every file, to itself and to gpu-b; the hash is the one the shard set names.
    when(transferA.send(any(), any())).thenAnswer(i -> sent(i.getArgument(0)));
    // gpu-b forwards what it holds to gpu-c.
    when(transferB.send(any(), any())).thenAnswer(i -> {
      TransferResult result = sent(i.getArgument(0));
      events.add("send gpu-b " + result.sha256());
      return result;
    });
    when(gpuC.unchangedFiles(anyString(), anyList())).thenReturn(List.of());
    when(gpuA.unchangedFiles(anyString(), anyList())).thenReturn(List.of());
    // gpu-b has the config of an earlier revision already.
    when(gpuB.unchangedFiles(anyString(), anyList())).thenReturn(List.of("config.json"));
    for (GpuActivities gpu : List.of(gpuA, gpuB, gpuC)) {
      when(gpu.checkShards(anyString(), anyList(), any())).thenReturn(1110L);
      when(gpu.checkGpus(any())).thenAnswer(i -> new GpuCheck(((LaunchRequest) i.getArgument(0)).node(), true, "fits"));
      when(gpu.launch(any())).thenAnswer(i -> process(i.getArgument(0)));
      when(gpu.awaitReady(any(), anyInt())).thenAnswer(i -> i.getArgument(0));
    }
  }

  @Test
  void deployment_shards_once_serves_on_both_nodes_and_stops_on_request(WorkflowClient client, WorkflowOptions options) {
    DeployModelWorkflow workflow = client.newWorkflowStub(DeployModelWorkflow.class, options);
    WorkflowClient.start(workflow::deploy, request());

    DeployModelResult serving = waitFor(workflow::deployment);
    assertThat(workflow.status().phase()).isEqualTo("serving");
    assertThat(serving.nodes()).extracting(NodeDeployResult::node).containsExactlyInAnyOrder("gpu-a", "gpu-b");
    NodeDeployResult b = serving.nodes().stream().filter(n -> n.node().equals("gpu-b")).findFirst().orElseThrow();
    assertThat(b.filesSent()).isEqualTo(2);
    assertThat(b.filesSkipped()).isEqualTo(1);
    assertThat(serving.tp()).isEqualTo(1);
    assertThat(serving.replicas()).isEqualTo(2);
    verify(gpuA).shardCheckpoint(argThat(r -> r.tp() == 1 && r.stages().size() == 1 && r.deployment().equals("tiny")));
    // Unchanged files never move; the others are committed against the shard set's checksum.
    verify(transferB, never()).openReceive(argThat(r -> r.targetPath().endsWith("config.json")));
    verify(transferB).closeReceive(argThat(r -> r.commit() && "aa".equals(r.expectedSha256())));
    verify(gpuB, never()).stopServing(anyString(), anyString());

    workflow.stop();
    DeployModelResult result = WorkflowStub.fromTyped(workflow).getResult(DeployModelResult.class);

    assertThat(result.note()).startsWith("vLLM served on ");
    verify(gpuA).stopServing(eq("tiny"), anyString());
    verify(gpuB).stopServing(eq("tiny"), anyString());
    assertThat(workflow.status().state()).isEqualTo(RunState.SUCCEEDED);
    assertThat(workflow.status().timeline()).extracting(e -> e.phase()).containsSubsequence(
        "check", "inspect", "plan", "shard", "distribute", "serving", "stopping", "succeeded");
  }

  @Test
  void three_replicas_take_each_file_from_the_source_once_and_pass_it_down_a_chain(WorkflowClient client,
      WorkflowOptions options) {
    DeployModelWorkflow workflow = client.newWorkflowStub(DeployModelWorkflow.class, options);
    WorkflowClient.start(workflow::deploy, request("gpu-a", "gpu-b", "gpu-c"));

    DeployModelResult serving = waitFor(workflow::deployment);
    assertThat(serving.replicas()).isEqualTo(3);
    assertThat(serving.nodes()).allSatisfy(n -> assertThat(n.processes()).hasSize(1));
    // The source sends to itself (a local copy) and to the chain's head, gpu-b; never to gpu-c.
    verify(transferA, never()).send(argThat(r -> r.targetNode().equals("gpu-c")), any());
    // gpu-b has the config already: two files.
    verify(transferA, times(2)).send(argThat(r -> r.targetNode().equals("gpu-b")
        && r.sourcePath().startsWith("shards/tiny/")), any());
    // gpu-c gets every file from gpu-b's copy, the config (unchanged on gpu-b) included.
    verify(transferB).send(argThat(r -> r.targetNode().equals("gpu-c") && r.sourcePath().equals("models/tiny/config.json")),
        any());
    verify(transferB).send(argThat(r -> r.targetNode().equals("gpu-c")
        && r.sourcePath().equals("models/tiny/model-pp00-tp00.safetensors")), any());
    // Only what gpu-b committed is passed on: its commit of a file comes before it sends that file.
    for (String digest : List.of("aa", "bb")) {
      assertThat(events.indexOf("commit gpu-b " + digest)).as(digest).isNotNegative()
          .isLessThan(events.indexOf("send gpu-b " + digest));
    }
    workflow.stop();
    WorkflowStub.fromTyped(workflow).getResult(DeployModelResult.class);
  }

  @Test
  void a_node_moves_its_files_at_once_and_checks_them_without_hashing_again(WorkflowClient client,
      WorkflowOptions options) {
    // gpu-b needs two files (it has the config): each send to it waits until the other one runs too.
    CountDownLatch bothSending = new CountDownLatch(2);
    List<Boolean> sawTheOther = new CopyOnWriteArrayList<>();
    doAnswer(i -> {
      bothSending.countDown();
      sawTheOther.add(bothSending.await(10, TimeUnit.SECONDS));
      return sent(i.getArgument(0));
    }).when(transferA).send(argThat(r -> r != null && r.targetNode().equals("gpu-b")), any());
    DeployModelWorkflow workflow = client.newWorkflowStub(DeployModelWorkflow.class, options);
    WorkflowClient.start(workflow::deploy, request());

    DeployModelResult serving = waitFor(workflow::deployment);
    assertThat(sawTheOther).as("each send to gpu-b saw the other in flight").containsExactly(true, true);
    NodeDeployResult b = serving.nodes().stream().filter(n -> n.node().equals("gpu-b")).findFirst().orElseThrow();
    assertThat(b.filesSent()).isEqualTo(2);
    assertThat(b.bytesOnWire()).isEqualTo(500 + 50);
    // One verification per file: the engine's receipt (or unchangedFiles), then the layout only.
    verify(gpuB).checkShards(eq("models/tiny"), eq(FILES), eq(ShardFormat.NOVACRON));
    verify(gpuB, never()).verifyShards(anyString(), anyList(), any());
    workflow.stop();
    WorkflowStub.fromTyped(workflow).getResult(DeployModelResult.class);
  }

  @Test
  void a_file_that_fails_cancels_the_files_in_flight_beside_it_before_the_node_fails(WorkflowClient client,
      WorkflowOptions options) {
    // gpu-b's manifest is on the wire (heartbeating) when its rank file's send fails for good.
    CountDownLatch manifestSending = new CountDownLatch(1);
    List<String> manifestEnded = new CopyOnWriteArrayList<>();
    doAnswer(i -> {
      manifestSending.countDown();
      try {
        return heartbeatUntilCancelled();
      } finally {
        manifestEnded.add("ended");
      }
    }).when(transferA).send(argThat(r -> r != null && r.targetNode().equals("gpu-b")
        && r.sourcePath().endsWith("shard-manifest.json")), any());
    doAnswer(i -> {
      manifestSending.await(30, TimeUnit.SECONDS);
      throw ApplicationFailure.newNonRetryableFailure("source changed while read", TransferFailures.VERIFY_FAILED);
    }).when(transferA).send(argThat(r -> r != null && r.targetNode().equals("gpu-b")
        && r.sourcePath().endsWith("model-pp00-tp00.safetensors")), any());

    DeployModelWorkflow workflow = client.newWorkflowStub(DeployModelWorkflow.class, options);
    assertThatThrownBy(() -> workflow.deploy(request()))
        .isInstanceOf(WorkflowFailedException.class)
        .rootCause().hasMessageContaining("source changed while read");

    // The manifest's send was cancelled (not left running), and both of gpu-b's receives aborted.
    assertThat(manifestEnded).hasSize(1);
    verify(transferB, times(2)).closeReceive(argThat(r -> !r.commit()));
    verify(transferB, never()).closeReceive(argThat(r -> r.commit()));
    verify(gpuB, never()).checkShards(anyString(), anyList(), any());
    assertThat(workflow.status().state()).isEqualTo(RunState.FAILED);
  }

  @Test
  void a_file_the_upstream_node_cannot_send_comes_from_the_source(WorkflowClient client, WorkflowOptions options) {
    doThrow(ApplicationFailure.newNonRetryableFailure("no file 'models/tiny/model-pp00-tp00.safetensors'",
        TransferFailures.SOURCE_NOT_FOUND))
        .when(transferB).send(argThat(r -> r != null && r.sourcePath().endsWith("model-pp00-tp00.safetensors")), any());
    DeployModelWorkflow workflow = client.newWorkflowStub(DeployModelWorkflow.class, options);
    WorkflowClient.start(workflow::deploy, request("gpu-a", "gpu-b", "gpu-c"));

    DeployModelResult serving = waitFor(workflow::deployment);
    assertThat(serving.nodes()).extracting(NodeDeployResult::node).containsExactlyInAnyOrder("gpu-a", "gpu-b", "gpu-c");
    // The half-open receive from gpu-b is aborted, then the source sends the file whole.
    verify(transferC).closeReceive(argThat(r -> !r.commit()));
    verify(transferA).send(argThat(r -> r.targetNode().equals("gpu-c")
        && r.sourcePath().equals("shards/tiny/model-pp00-tp00.safetensors")), any());
    verify(transferC).closeReceive(argThat(r -> r.commit() && "aa".equals(r.expectedSha256())));
    workflow.stop();
    WorkflowStub.fromTyped(workflow).getResult(DeployModelResult.class);
  }

  @Test
  void deployment_is_refused_with_the_planners_reason_when_nothing_fits(WorkflowClient client, WorkflowOptions options) {
    when(gpuA.inventory()).thenReturn(inventory("gpu-a", 1024));
    when(gpuB.inventory()).thenReturn(inventory("gpu-b", 1024));
    when(gpuA.inspectCheckpoint("ckpt/tiny")).thenReturn(new CheckpointSummary("/data/ckpt/tiny",
        ModelShape.llama("big", 80, 8192, 64, 8, 28672, 128256, false), "bf16", 140L << 30, 723));

    DeployModelWorkflow workflow = client.newWorkflowStub(DeployModelWorkflow.class, options);
    assertThatThrownBy(() -> workflow.deploy(request()))
        .isInstanceOf(WorkflowFailedException.class)
        .rootCause().isInstanceOf(ApplicationFailure.class)
        .hasMessageContaining("no layout fits on 2 GPU(s) of 1.0 GiB")
        .satisfies(f -> assertThat(((ApplicationFailure) f).getType()).isEqualTo(FailureTypes.PLAN_REJECTED));

    verify(gpuA, never()).shardCheckpoint(any());
    verify(gpuA, never()).launch(any());
    assertThat(workflow.status().state()).isEqualTo(RunState.FAILED);
  }

  @Test
  void a_node_failing_mid_distribution_stops_every_node_and_aborts_its_transfer(WorkflowClient client, WorkflowOptions options) {
    // gpu-a is waiting for its process to become healthy when gpu-b's transfer fails: the failure
    // must cancel gpu-a's child and stop what it launched. gpu-b moves one file only: a sibling
    // transfer cancelled beside the failing one is a_file_that_fails_cancels_the_files_in_flight...'s
    // case; here it would race its own completion on the in-memory test server, which then never
    // ended gpu-b's child (it hung CI and 1 of 1 local class runs; the same test passed 2 of 2 runs
    // against a real dev server, -Dnovacron.temporal=HOST:PORT). Most likely, not confirmed from a
    // log of the hang: the test server refuses a workflow task that cancels an activity whose
    // completion arrived in the same task (ACTIVITY_UNKNOWN, temporalio/sdk-java#2391).
    when(gpuB.unchangedFiles(anyString(), anyList())).thenReturn(List.of("config.json", "shard-manifest.json"));
    CountDownLatch aStarting = new CountDownLatch(1);
    when(gpuA.awaitReady(any(), anyInt())).thenAnswer(i -> {
      aStarting.countDown();
      return heartbeatUntilCancelled();
    });
    doAnswer(i -> {
      aStarting.await(30, TimeUnit.SECONDS);
      throw ApplicationFailure.newNonRetryableFailure("received bytes do not hash to the sender's",
          TransferFailures.VERIFY_FAILED);
    }).when(transferB).closeReceive(argThat(r -> r != null && r.commit()));

    DeployModelWorkflow workflow = client.newWorkflowStub(DeployModelWorkflow.class, options);
    assertThatThrownBy(() -> workflow.deploy(request()))
        .isInstanceOf(WorkflowFailedException.class)
        .rootCause().hasMessageContaining("do not hash to the sender's");

    verify(transferB, atLeastOnce()).closeReceive(argThat(r -> !r.commit()));
    verify(gpuB, never()).launch(any());
    verify(gpuA, atLeastOnce()).stopServing(eq("tiny"), anyString());
    verify(gpuB, atLeastOnce()).stopServing(eq("tiny"), anyString());
    assertThat(workflow.status().state()).isEqualTo(RunState.FAILED);
    assertThat(workflow.status().timeline()).extracting(e -> e.phase()).contains("rollback");
  }

  /**
   * Cancelling a serving deployment stops every node. Cancelled while both children wait for
   * their stop, not while an activity is in flight: the in-memory test server sometimes never
   * completes a child cancelled with a heartbeating activity (it hung a CI run; a real server
   * does not), and a failure mid-start is the sibling-abort path the test above covers.
   */
  @Test
  void cancelling_a_serving_deployment_stops_every_node(WorkflowClient client, WorkflowOptions options) {
    DeployModelWorkflow workflow = client.newWorkflowStub(DeployModelWorkflow.class, options);
    WorkflowClient.start(workflow::deploy, request());
    waitFor(workflow::deployment);

    WorkflowStub.fromTyped(workflow).cancel();

    assertThatThrownBy(() -> WorkflowStub.fromTyped(workflow).getResult(DeployModelResult.class))
        .isInstanceOf(WorkflowFailedException.class)
        .cause().isInstanceOf(CanceledFailure.class);
    verify(gpuA, atLeastOnce()).stopServing(eq("tiny"), anyString());
    verify(gpuB, atLeastOnce()).stopServing(eq("tiny"), anyString());
    assertThat(workflow.status().state()).isEqualTo(RunState.CANCELLED);
  }

  @Test
  void invalid_request_fails_without_touching_a_node(WorkflowClient client, WorkflowOptions options) {
    DeployModelWorkflow workflow = client.newWorkflowStub(DeployModelWorkflow.class, options);
    DeployModelRequest bad = new DeployModelRequest("Tiny", "gpu-a", "", null, List.of(), 0, 0, null, 0, 0);

    assertThatThrownBy(() -> workflow.deploy(bad))
        .isInstanceOf(WorkflowFailedException.class)
        .rootCause().hasMessageContaining("name: must be").hasMessageContaining("checkpoint: is required")
        .hasMessageContaining("nodes: name at least one");
    verify(gpuA, never()).inventory();
  }

  static DeployModelRequest request() {
    return request("gpu-a", "gpu-b");
  }

  static DeployModelRequest request(String... nodes) {
    return new DeployModelRequest("tiny", "gpu-a", "ckpt/tiny", null, List.of(nodes), 4096, 1,
        new ServingSettings(ServingRuntime.VLLM, null, 8000, 60), 0, 0);
  }

  static GpuInventory inventory(String node, long memoryMib) {
    return new GpuInventory(node, "nvidia-smi", "550", List.of(new GpuInfo(0, "H100", "GPU-" + node, memoryMib, 0)),
        "test", 15);
  }

  static ReceiveEndpoint endpoint(TransferRequest r) {
    return new ReceiveEndpoint(r.transferId(), "127.0.0.1", 7951, "token", Long.MAX_VALUE, 65536, 0, 0, null, 0);
  }

  static TransferResult sent(TransferRequest r) {
    ShardFileRef file = FILES.stream().filter(f -> r.sourcePath().endsWith("/" + f.file())).findFirst().orElseThrow();
    return new TransferResult(r.transferId(), file.bytes(), file.bytes() / 2, 1, 1, 0, 0, 0, 2.0, 0.1, file.sha256(), 1,
        Map.of("lz4", file.bytes() / 2));
  }

  static ServingProcess process(LaunchRequest r) {
    return new ServingProcess(r.deployment(), r.node(), r.replica(), r.runtime(), 4242, 8000, "/logs/x.log",
        List.of("vllm", "serve"), "http://127.0.0.1:8000/health");
  }

  /**
   * Heartbeats until the cancellation reaches the activity (the heartbeat then throws); bounded so
   * that a broken cancellation fails the test instead of hanging it.
   */
  static Object heartbeatUntilCancelled() throws InterruptedException {
    for (int beat = 0; beat < 1200; beat++) {
      Activity.getExecutionContext().heartbeat("starting");
      Thread.sleep(100);
    }
    throw new IllegalStateException("never cancelled");
  }

  static <T> T waitFor(Supplier<T> query) {
    for (int i = 0; i < 600; i++) {
      T value = query.get();
      if (value != null) {
        return value;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    }
    throw new AssertionError("the deployment never reached serving");
  }
}
