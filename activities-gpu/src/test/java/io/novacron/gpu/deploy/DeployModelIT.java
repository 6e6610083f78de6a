package io.novacron.gpu.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.novacron.gpu.GpuAgentServices;
import io.novacron.gpu.NvidiaSmiInventory;
import io.novacron.checkpoint.CheckpointInspection;
import io.novacron.checkpoint.CheckpointInspector;
import io.novacron.checkpoint.LlamaFixture;
import io.novacron.checkpoint.SafetensorsHeader;
import io.novacron.checkpoint.SafetensorsHeaderReader;
import io.novacron.checkpoint.TensorEntry;
import io.novacron.checkpoint.VllmShardedState;
import io.novacron.transfer.TransferConfig;
import io.novacron.transfer.TransferMetrics;
import io.novacron.workflows.FailureTypes;
import io.novacron.workflows.TaskQueues;
import io.novacron.workflows.model.deploy.DeployModelRequest;
import io.novacron.workflows.model.deploy.DeployModelResult;
import io.novacron.workflows.model.deploy.DeployModelWorkflow;
import io.novacron.workflows.model.deploy.DeployModelWorkflowImpl;
import io.novacron.workflows.model.deploy.NodeDeployResult;
import io.novacron.workflows.model.deploy.NodeDeployWorkflowImpl;
import io.novacron.workflows.model.deploy.ServingProcess;
import io.novacron.workflows.model.deploy.ServingSettings;
import io.novacron.workflows.run.RunPhaseChange;
import io.novacron.workflows.run.RunRecordActivities;
import io.novacron.workflows.run.RunStarted;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A generated Llama-shaped checkpoint deployed across two real GPU agents (gpu-a, the source, and
 * gpu-b), each with its own data directory, Temporal worker and transfer engine on loopback, and
 * real reference loader processes launched, health-checked and stopped. The workflows run on the
 * in-process Temporal test server. No GPU: both nodes plan as simulated 80 GiB GPUs, and the run
 * record says the reference loader served.
 */
class DeployModelIT {
  static final byte[] SECRET_A = "gpu-a-test-secret-0123456789".getBytes();
  static final byte[] SECRET_B = "gpu-b-test-secret-0123456789".getBytes();
  static final byte[] SECRET_C = "gpu-c-test-secret-0123456789".getBytes();

  @TempDir Path tmp;
  TestWorkflowEnvironment env;
  WorkflowClient client;
  final List<String> record = Collections.synchronizedList(new ArrayList<>());
  final List<Agent> agents = new ArrayList<>();

  /** One GPU agent: what GpuAgent.main builds, on its own worker factory so it can die alone. */
  record Agent(String node, Path data, GpuAgentServices services, WorkerFactory factory, SimpleMeterRegistry meters) {
    /** Wire bytes of this agent's completed sends to other nodes (its engine's egress counter). */
    long egress() {
      return (long) meters.get("novacron.transfer.egress").counter().count();
    }

    /** Wire bytes of all its completed sends, copies within the node included. */
    long wire() {
      return (long) meters.get("novacron.transfer.wire").counter().count();
    }

    void kill() {
      factory.shutdownNow();
      services.close();
      factory.awaitTermination(10, TimeUnit.SECONDS);
    }
  }

  /** The run record as the control plane would write it, kept in memory. */
  final class RecordingRuns implements RunRecordActivities {
    @Override
    public void started(RunStarted run) {
      record.add("started " + run.type());
    }

    @Override
    public void phase(RunPhaseChange change) {
      record.add(change.phase() + ": " + change.detail());
    }
  }

  @BeforeEach
  void startTemporal() {
    env = TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder().setUseTimeskipping(false).build());
    Worker control = env.newWorker(TaskQueues.CONTROL);
    control.registerWorkflowImplementationTypes(DeployModelWorkflowImpl.class, NodeDeployWorkflowImpl.class);
    control.registerActivitiesImplementations(new RecordingRuns());
    env.start();
    client = env.getWorkflowClient();
  }

  @AfterEach
  void stopEverything() throws IOException {
    for (Agent agent : agents) {
      agent.services().supervisor().stop("tiny", null);
      agent.kill();
    }
    env.close();
  }

  Agent agent(String node, Path data, int port, byte[] secret) throws IOException {
    return agent(node, data, port, secret, tmp.resolve("no-nvidia-smi").toString());
  }

  Agent agent(String node, Path data, int port, byte[] secret, String nvidiaSmi) throws IOException {
    GpuAgentServices services = GpuAgentServices.start(
        new NvidiaSmiInventory(node, nvidiaSmi, "test", 15),
        new AgentPaths(data, List.of()), new TransferConfig(data, "127.0.0.1", port, secret));
    WorkerFactory factory = WorkerFactory.newInstance(client);
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    services.register(factory.newWorker(TaskQueues.gpu(node)), new TransferMetrics(meters));
    factory.start();
    Agent agent = new Agent(node, data, services, factory, meters);
    agents.add(agent);
    return agent;
  }

  static DeployModelRequest request(long capBytesPerSec) {
    return new DeployModelRequest("tiny", "gpu-a", "checkpoints/tiny", null, List.of("gpu-a", "gpu-b"), 2048, 1,
        ServingSettings.reference(0), 80, capBytesPerSec);
  }

  DeployModelWorkflow start(String id, DeployModelRequest request) {
    DeployModelWorkflow workflow = client.newWorkflowStub(DeployModelWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId(id).setTaskQueue(TaskQueues.CONTROL).build());
    WorkflowClient.start(workflow::deploy, request);
    return workflow;
  }

  @Test
  void checkpoint_is_sharded_moved_verified_and_served_by_reference_loaders_on_both_nodes() throws Exception {
    Agent a = agent("gpu-a", tmp.resolve("a"), 0, SECRET_A);
    Agent b = agent("gpu-b", tmp.resolve("b"), 0, SECRET_B);
    LlamaFixture.small().write(a.data().resolve("checkpoints/tiny"));

    DeployModelWorkflow first = start("deploy-tiny-1", request(0));
    DeployModelResult serving = waitFor(first::deployment, 180);

    assertThat(serving.note()).contains("reference loader served (not vLLM)").contains("no GPU on gpu-a, gpu-b");
    assertThat(serving.nodes()).extracting(NodeDeployResult::node).containsExactlyInAnyOrder("gpu-a", "gpu-b");
    List<ServingProcess> processes = serving.nodes().stream().flatMap(n -> n.processes().stream()).toList();
    assertThat(processes).hasSize(2);
    for (ServingProcess process : processes) {
      HttpResponse<String> health = get(process.healthUrl());
      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(health.body()).contains("\"runtime\":\"novacron-reference-loader\"").contains("\"ranks\":[0]")
          .contains("\"bytesVerified\":");
    }
    assertThat(b.data().resolve("models/tiny/model-pp00-tp00.safetensors")).exists();
    assertThat(b.data().resolve("models/tiny/shard-manifest.json")).exists();
    assertThat(record).anySatisfy(line -> assertThat(line).startsWith("serving: reference loader served (not vLLM)"));

    first.stop();
    WorkflowStub.fromTyped(first).getResult(DeployModelResult.class);
    recordHistories("deploy-tiny-1");
    for (ServingProcess process : processes) {
      assertThat(ProcessHandle.of(process.pid()).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    }

    // The next revision of the same deployment moves nothing: every shard is already in place.
    DeployModelWorkflow second = start("deploy-tiny-2", request(0));
    DeployModelResult again = waitFor(second::deployment, 180);
    for (NodeDeployResult node : again.nodes()) {
      assertThat(node.filesSent()).as(node.node()).isZero();
      assertThat(node.filesSkipped()).as(node.node()).isEqualTo(3);
    }
    WorkflowStub.fromTyped(second).cancel();
    assertThatThrownBy(() -> WorkflowStub.fromTyped(second).getResult(DeployModelResult.class))
        .isInstanceOf(WorkflowFailedException.class);
    for (ServingProcess process : again.nodes().stream().flatMap(n -> n.processes().stream()).toList()) {
      assertThat(ProcessHandle.of(process.pid()).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    }
  }

  @Test
  void a_pipeline_across_both_nodes_gives_each_node_only_its_stage() throws Exception {
    Agent a = agent("gpu-a", tmp.resolve("a"), 0, SECRET_A);
    Agent b = agent("gpu-b", tmp.resolve("b"), 0, SECRET_B);
    LlamaFixture.small().write(a.data().resolve("checkpoints/tiny"));
    // 4096 sequences of 2048 tokens need more KV cache than one simulated 4 GiB GPU holds: PP 2.
    DeployModelRequest pipeline = new DeployModelRequest("tiny", "gpu-a", "checkpoints/tiny", null,
        List.of("gpu-a", "gpu-b"), 2048, 4096, ServingSettings.reference(0), 4, 0);

    DeployModelWorkflow workflow = start("deploy-tiny-pp", pipeline);
    DeployModelResult serving = waitFor(workflow::deployment, 180);

    assertThat(serving.pp()).isEqualTo(2);
    assertThat(serving.replicas()).isEqualTo(1);
    assertThat(a.data().resolve("models/tiny/model-pp00-tp00.safetensors")).exists();
    assertThat(a.data().resolve("models/tiny/model-pp01-tp00.safetensors")).doesNotExist();
    assertThat(b.data().resolve("models/tiny/model-pp01-tp00.safetensors")).exists();
    assertThat(b.data().resolve("models/tiny/model-pp00-tp00.safetensors")).doesNotExist();
    ServingProcess onB = serving.nodes().stream().filter(n -> n.node().equals("gpu-b")).findFirst().orElseThrow()
        .processes().get(0);
    assertThat(get(onB.healthUrl()).body()).contains("\"ranks\":[1]");
    workflow.stop();
    WorkflowStub.fromTyped(workflow).getResult(DeployModelResult.class);
  }

  @Test
  void deployment_resumes_when_the_receiving_agent_dies_mid_transfer() throws Exception {
    int portB = freePort();
    Agent a = agent("gpu-a", tmp.resolve("a"), 0, SECRET_A);
    Agent b = agent("gpu-b", tmp.resolve("b"), portB, SECRET_B);
    // About 8.5 MiB of rank file (a 32000-token vocabulary), sent at 1 MiB/s: several seconds.
    LlamaFixture.small().withVocab(32000).write(a.data().resolve("checkpoints/tiny"));

    DeployModelWorkflow workflow = start("deploy-tiny-resume", request(1L << 20));
    Path journal = waitFor(() -> journalWithBlocks(b.data().resolve("models/tiny")), 120);
    b.kill();
    agents.remove(b);
    assertThat(journal).exists();
    Thread.sleep(1000);
    agent("gpu-b", b.data(), portB, SECRET_B);

    DeployModelResult serving = waitFor(workflow::deployment, 240);
    NodeDeployResult onB = serving.nodes().stream().filter(n -> n.node().equals("gpu-b")).findFirst().orElseThrow();
    assertThat(onB.blocksResumed()).as("blocks the journal kept from before the restart").isPositive();
    assertThat(onB.processes()).hasSize(1);
    assertThat(get(onB.processes().get(0).healthUrl()).statusCode()).isEqualTo(200);
    workflow.stop();
    WorkflowStub.fromTyped(workflow).getResult(DeployModelResult.class);
  }

  /**
   * Three replicas (TP 1 x PP 1 on each of gpu-a, the source, gpu-b and gpu-c): the source's engine
   * sends the shards to another node once. gpu-a fills its own models/ through its own engine (a
   * copy within the node: wire bytes, not egress), gpu-b pulls from the source, gpu-c from gpu-b.
   * One copy is measured in the same run, as the wire bytes gpu-b received from the source:
   * compression makes wire bytes differ from file bytes, and this compares like with like.
   */
  @Test
  void three_replicas_make_the_source_send_the_shards_once() throws Exception {
    Agent a = agent("gpu-a", tmp.resolve("a"), 0, SECRET_A);
    Agent b = agent("gpu-b", tmp.resolve("b"), 0, SECRET_B);
    Agent c = agent("gpu-c", tmp.resolve("c"), 0, SECRET_C);
    // About 8.5 MiB of rank file: the shard bytes dwarf the handshakes.
    LlamaFixture.small().withVocab(32000).write(a.data().resolve("checkpoints/tiny"));
    DeployModelRequest three = new DeployModelRequest("tiny", "gpu-a", "checkpoints/tiny", null,
        List.of("gpu-a", "gpu-b", "gpu-c"), 2048, 1, ServingSettings.reference(0), 80, 0);

    DeployModelWorkflow workflow = start("deploy-tiny-fan-out", three);
    DeployModelResult serving = waitFor(workflow::deployment, 240);

    assertThat(serving.replicas()).isEqualTo(3);
    assertThat(serving.nodes()).extracting(NodeDeployResult::node).containsExactlyInAnyOrder("gpu-a", "gpu-b", "gpu-c");
    for (NodeDeployResult node : serving.nodes()) {
      assertThat(node.processes()).as(node.node()).hasSize(1);
      assertThat(get(node.processes().get(0).healthUrl()).statusCode()).as(node.node()).isEqualTo(200);
      assertThat(node.filesSent()).as(node.node()).isEqualTo(3);
    }
    NodeDeployResult onB = result(serving, "gpu-b");
    NodeDeployResult onC = result(serving, "gpu-c");
    long oneCopyWire = onB.bytesOnWire();
    long shardBytes = onB.bytesVerified();
    System.out.printf("fan-out: shard bytes %d, one copy on the wire %d; egress gpu-a %d (wire incl. local copy %d),"
        + " gpu-b %d, gpu-c %d; without fan-out the source would send %d%n", shardBytes, oneCopyWire, a.egress(),
        a.wire(), b.egress(), c.egress(), onB.bytesOnWire() + onC.bytesOnWire());
    assertThat(shardBytes).isGreaterThan(8L << 20);
    assertThat(a.egress()).as("source egress").isPositive().isLessThanOrEqualTo((long) (1.05 * oneCopyWire));
    // gpu-c's copy came from gpu-b, and gpu-c passed nothing on.
    assertThat(b.egress()).as("gpu-b egress").isEqualTo(onC.bytesOnWire()).isPositive();
    assertThat(c.egress()).as("gpu-c egress").isZero();
    workflow.stop();
    WorkflowStub.fromTyped(workflow).getResult(DeployModelResult.class);
    recordHistory("deploy-tiny-fan-out", "deploy-model-fan-out-in-flight.json");
    recordHistory("deploy-tiny-fan-out-gpu-c", "deploy-model-node-fan-out-in-flight.json");
  }

  /**
   * gpu-b's agent dies while it forwards the rank file to gpu-c and comes back on the same data
   * directory: the send is retried on the new agent and resumes from gpu-c's journal, and the
   * source still sends one copy (no fallback was needed).
   */
  @Test
  void forwarding_resumes_when_the_upstream_agent_dies_mid_send() throws Exception {
    int portB = freePort();
    Agent a = agent("gpu-a", tmp.resolve("a"), 0, SECRET_A);
    Agent b = agent("gpu-b", tmp.resolve("b"), portB, SECRET_B);
    agent("gpu-c", tmp.resolve("c"), 0, SECRET_C);
    LlamaFixture.small().withVocab(32000).write(a.data().resolve("checkpoints/tiny"));
    DeployModelRequest three = new DeployModelRequest("tiny", "gpu-a", "checkpoints/tiny", null,
        List.of("gpu-a", "gpu-b", "gpu-c"), 2048, 1, ServingSettings.reference(0), 80, 1L << 20);

    DeployModelWorkflow workflow = start("deploy-tiny-fan-out-resume", three);
    waitFor(() -> journalWithBlocks(tmp.resolve("c/models/tiny")), 180);
    b.kill();
    agents.remove(b);
    Thread.sleep(1000);
    agent("gpu-b", b.data(), portB, SECRET_B);

    DeployModelResult serving = waitFor(workflow::deployment, 300);
    NodeDeployResult onB = result(serving, "gpu-b");
    NodeDeployResult onC = result(serving, "gpu-c");
    assertThat(onC.blocksResumed()).as("blocks gpu-c's journal kept from the first forwarding attempt").isPositive();
    assertThat(a.egress()).as("source egress").isLessThanOrEqualTo((long) (1.05 * onB.bytesOnWire()));
    for (NodeDeployResult node : serving.nodes()) {
      assertThat(get(node.processes().get(0).healthUrl()).statusCode()).as(node.node()).isEqualTo(200);
    }
    workflow.stop();
    WorkflowStub.fromTyped(workflow).getResult(DeployModelResult.class);
  }

  static NodeDeployResult result(DeployModelResult deployment, String node) {
    return deployment.nodes().stream().filter(n -> n.node().equals(node)).findFirst().orElseThrow();
  }

  @Test
  void a_bad_checkpoint_is_refused_at_inspection_naming_the_file() throws Exception {
    Agent a = agent("gpu-a", tmp.resolve("a"), 0, SECRET_A);
    agent("gpu-b", tmp.resolve("b"), 0, SECRET_B);
    Path checkpoint = LlamaFixture.small().write(a.data().resolve("checkpoints/tiny"));
    Files.write(checkpoint.resolve("model.safetensors"), new byte[] {1, 2, 3});

    DeployModelWorkflow workflow = start("deploy-tiny-bad", request(0));
    assertThatThrownBy(() -> WorkflowStub.fromTyped(workflow).getResult(DeployModelResult.class))
        .isInstanceOf(WorkflowFailedException.class)
        .rootCause().isInstanceOf(ApplicationFailure.class)
        .hasMessageContaining("model.safetensors")
        .satisfies(f -> assertThat(((ApplicationFailure) f).getType()).isEqualTo(FailureTypes.CHECKPOINT_INVALID));
    assertThat(a.data().resolve("shards/tiny")).doesNotExist();
  }

  /**
   * Format vllm-sharded-state end to end. Each node announces two 4 GiB GPUs (a fake nvidia-smi)
   * and 4096 sequences of 2048 tokens do not fit one: TP 2 inside each node, one replica per node.
   * The planner keeps TP within a node and the format allows PP 1 only, so a node holds the TP
   * ranks of its replica: both rank files, with vLLM's names and shapes, and nothing of format
   * novacron.
   */
  @Test
  void format_vllm_sharded_state_puts_vllms_rank_files_on_each_node_and_the_reference_loader_loads_them()
      throws Exception {
    Path nvidiaSmi = tmp.resolve("fake-nvidia-smi");
    Files.writeString(nvidiaSmi, "#!/bin/sh\nprintf '0, Fake GPU, GPU-f0, 4096, 0, 550\\n1, Fake GPU, GPU-f1, 4096, 0, 550\\n'\n");
    nvidiaSmi.toFile().setExecutable(true);
    Agent a = agent("gpu-a", tmp.resolve("a"), 0, SECRET_A, nvidiaSmi.toString());
    Agent b = agent("gpu-b", tmp.resolve("b"), 0, SECRET_B, nvidiaSmi.toString());
    Path checkpoint = LlamaFixture.small().write(a.data().resolve("checkpoints/tiny"));
    DeployModelRequest request = new DeployModelRequest("tiny", "gpu-a", "checkpoints/tiny", null,
        List.of("gpu-a", "gpu-b"), 2048, 4096, ServingSettings.reference(0), 0, 0, "vllm-sharded-state");

    DeployModelWorkflow workflow = start("deploy-tiny-vllm", request);
    DeployModelResult serving = waitFor(workflow::deployment, 180);

    assertThat(serving.tp()).isEqualTo(2);
    assertThat(serving.pp()).isEqualTo(1);
    assertThat(serving.replicas()).isEqualTo(2);
    CheckpointInspection source = CheckpointInspector.inspect(checkpoint);
    Set<String> sourceNames = source.tensors().stream().map(TensorEntry::name).collect(Collectors.toSet());
    for (Agent agent : List.of(a, b)) {
      Path models = agent.data().resolve("models/tiny");
      try (Stream<Path> files = Files.list(models)) {
        assertThat(files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".safetensors")))
            .as(agent.node()).containsExactlyInAnyOrder("model-rank-0-part-0.safetensors",
                "model-rank-1-part-0.safetensors");
      }
      assertThat(models.resolve("config.json")).exists();
      assertThat(models.resolve("shard-manifest.json")).doesNotExist();
      for (int rank = 0; rank < 2; rank++) {
        SafetensorsHeader header = SafetensorsHeaderReader.read(models.resolve("model-rank-" + rank + "-part-0.safetensors"));
        Map<String, List<Long>> shapes = header.tensors().stream()
            .collect(Collectors.toMap(TensorEntry::name, TensorEntry::shape));
        Map<String, List<Long>> expected = VllmShardedState.rankParams(source.config(), 2, rank, sourceNames).stream()
            .collect(Collectors.toMap(VllmShardedState.Param::name, VllmShardedState.Param::shape));
        assertThat(shapes).as(agent.node() + " rank " + rank).isEqualTo(expected);
        assertThat(shapes).containsKey("model.layers.0.self_attn.qkv_proj.weight").doesNotContainKey(
            "model.layers.0.self_attn.q_proj.weight");
        assertThat(header.metadata()).containsEntry("novacron.tp_rank", Integer.toString(rank));
      }
    }
    for (ServingProcess process : serving.nodes().stream().flatMap(n -> n.processes().stream()).toList()) {
      assertThat(get(process.healthUrl()).body()).contains("\"format\":\"vllm-sharded-state\"")
          .contains("\"ranks\":[0,1]").contains("\"files\":2");
    }
    workflow.stop();
    WorkflowStub.fromTyped(workflow).getResult(DeployModelResult.class);
  }

  @Test
  void format_vllm_sharded_state_refuses_a_pipeline_before_sharding_naming_the_format() throws Exception {
    Agent a = agent("gpu-a", tmp.resolve("a"), 0, SECRET_A);
    agent("gpu-b", tmp.resolve("b"), 0, SECRET_B);
    LlamaFixture.small().write(a.data().resolve("checkpoints/tiny"));
    // As the pipeline case above: one simulated 4 GiB GPU per node, so the plan needs PP 2.
    DeployModelRequest pipeline = new DeployModelRequest("tiny", "gpu-a", "checkpoints/tiny", null,
        List.of("gpu-a", "gpu-b"), 2048, 4096, ServingSettings.reference(0), 4, 0, "vllm-sharded-state");

    DeployModelWorkflow workflow = start("deploy-tiny-vllm-pp", pipeline);

    assertThatThrownBy(() -> WorkflowStub.fromTyped(workflow).getResult(DeployModelResult.class))
        .isInstanceOf(WorkflowFailedException.class)
        .rootCause().isInstanceOf(ApplicationFailure.class)
        .hasMessageContaining("format vllm-sharded-state").hasMessageContaining("PP 2")
        .satisfies(f -> assertThat(((ApplicationFailure) f).getType()).isEqualTo(FailureTypes.PLAN_REJECTED));
    assertThat(a.data().resolve("shards/tiny")).doesNotExist();
  }

  /**
   * With {@code -Dnovacron.recordHistory=true}, writes the parent's and gpu-b's child histories
   * where DeployModelReplayTest (workflows) replays them.
   */
  void recordHistories(String id) throws IOException {
    if (!Boolean.getBoolean("novacron.recordHistory")) {
      return;
    }
    Path dir = Path.of("../workflows/src/test/resources/histories");
    Files.writeString(dir.resolve("deploy-model-served.json"), client.fetchHistory(id).toJson(true));
    Files.writeString(dir.resolve("deploy-model-node-served.json"), client.fetchHistory(id + "-gpu-b").toJson(true));
  }

  /** As {@link #recordHistories}, one run's history into {@code file}. */
  void recordHistory(String id, String file) throws IOException {
    if (Boolean.getBoolean("novacron.recordHistory")) {
      Files.writeString(Path.of("../workflows/src/test/resources/histories").resolve(file),
          client.fetchHistory(id).toJson(true));
    }
  }

  /** A journal under {@code dir} that already lists acknowledged blocks, or null. */
  static Path journalWithBlocks(Path dir) {
    if (!Files.isDirectory(dir)) {
      return null;
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".journal"))
          .filter(p -> p.getFileName().toString().contains("safetensors"))
          .filter(p -> {
            try {
              return Files.size(p) > 64;
            } catch (IOException e) {
              return false;
            }
          }).findFirst().orElse(null);
    } catch (IOException e) {
      return null;
    }
  }

  static HttpResponse<String> get(String url) throws IOException, InterruptedException {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  static <T> T waitFor(Supplier<T> probe, int seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < deadline) {
      T value = probe.get();
      if (value != null) {
        return value;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("nothing after " + seconds + " s");
  }
}
