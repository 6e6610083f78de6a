package io.novacron.gpu;

import io.novacron.workflows.TaskQueues;
import io.novacron.workflows.client.AgentOptions;
import io.novacron.workflows.client.NodeAnnouncer;
import io.novacron.workflows.client.TemporalConnection;
import io.novacron.workflows.node.GpuInventory;
import io.novacron.workflows.node.NodeWorkflow;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The GPU agent process: polls its node's queue ({@code gpu.<node>}) and announces the node's GPU
 * inventory through Temporal. Options as the host agent's: {@code --node}, {@code --temporal},
 * {@code --namespace}, {@code --announce-interval}, and {@code --nvidia-smi} (path of the tool).
 */
public final class GpuAgent {
  private static final Logger log = LoggerFactory.getLogger(GpuAgent.class);

  private GpuAgent() {}

  public static void main(String[] args) throws InterruptedException {
    AgentOptions options;
    String node;
    int interval;
    try {
      options = AgentOptions.parse(args, System.getenv());
      node = options.node();
      interval = options.seconds("announce-interval", 15);
    } catch (IllegalArgumentException e) {
      System.err.println("novacron-gpu-agent: " + e.getMessage());
      System.exit(64);
      return;
    }
    String version = GpuAgent.class.getPackage().getImplementationVersion();
    NvidiaSmiInventory inventory = new NvidiaSmiInventory(node, options.get("nvidia-smi", "nvidia-smi"),
        version == null ? "dev" : version, interval);

    WorkflowServiceStubs stubs = TemporalConnection.stubs(options.temporalTarget());
    WorkflowClient client = TemporalConnection.client(stubs, options.namespace());
    WorkerFactory factory = WorkerFactory.newInstance(client);
    Worker worker = factory.newWorker(TaskQueues.gpu(node));
    worker.registerActivitiesImplementations(new GpuActivitiesImpl(inventory));
    factory.start();
    NodeAnnouncer<GpuInventory> announcer = new NodeAnnouncer<>(client, node, inventory::read,
        NodeWorkflow::announceGpus, Duration.ofSeconds(interval));
    announcer.start();
    log.info("GPU agent for node {} polls {} on {}", node, TaskQueues.gpu(node), options.temporalTarget());

    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      announcer.close();
      factory.shutdown();
      factory.awaitTermination(10, TimeUnit.SECONDS);
      stubs.shutdown();
      stopped.countDown();
    }, "shutdown"));
    stopped.await();
  }
}
