package io.novacron.gpu;

import io.novacron.workflows.TaskQueues;
import io.novacron.runtime.AgentOptions;
import io.novacron.runtime.AgentWorkers;
import io.novacron.runtime.NodeAnnouncer;
import io.novacron.runtime.AgentMetrics;
import io.novacron.runtime.TemporalConnection;
import io.novacron.workflows.node.GpuInventory;
import io.novacron.workflows.node.NodeWorkflow;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.novacron.gpu.deploy.AgentPaths;
import io.novacron.transfer.TransferConfig;
import io.novacron.transfer.TransferMetrics;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The GPU agent process: polls its node's queue ({@code gpu.<node>}), announces the node's GPU
 * inventory through Temporal, shards checkpoints, receives and sends shards with its own transfer
 * engine, and supervises serving processes. Options as the host agent's: {@code --node},
 * {@code --temporal}, {@code --namespace}, {@code --announce-interval}, and {@code --nvidia-smi}
 * (path of the tool), {@code --data-dir} (shards, deployments, logs; default
 * {@code ~/.novacron/gpu-<node>}), {@code --checkpoint-roots} (comma-separated directories
 * checkpoints may also be read from), {@code --gpu-transfer-port} (default {@value #DEFAULT_TRANSFER_PORT},
 * one above the host agent's, so both run on one machine), {@code --gpu-transfer-host} (the address
 * peers connect to; default this host's name). Its streams use the node's transfer TLS settings,
 * {@code NOVACRON_TRANSFER_TLS_CERT}, {@code _KEY}, {@code _CA} (or {@code --transfer-tls-cert} ...)
 * and {@code NOVACRON_TRANSFER_TLS}, as the host agent's (docs/security.md, "TLS between nodes").
 */
public final class GpuAgent {
  private static final Logger log = LoggerFactory.getLogger(GpuAgent.class);

  public static final int DEFAULT_TRANSFER_PORT = 7951;

  private GpuAgent() {}

  public static void main(String[] args) throws InterruptedException, IOException {
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

    Path data = Path.of(options.get("data-dir",
        Path.of(System.getProperty("user.home"), ".novacron", "gpu-" + node).toString()));
    List<Path> roots = new ArrayList<>();
    for (String root : options.get("checkpoint-roots", "").split(",")) {
      if (!root.isBlank()) {
        roots.add(Path.of(root.trim()));
      }
    }
    // Own keys (NOVACRON_GPU_TRANSFER_*): NOVACRON_TRANSFER_* are the host agent's, often set in the
    // same environment, and two engines cannot share a port.
    Map<String, String> transferEnv = new HashMap<>();
    transferEnv.put("NOVACRON_TRANSFER_HOST", options.get("gpu-transfer-host", ""));
    transferEnv.put("NOVACRON_TRANSFER_PORT", options.get("gpu-transfer-port", String.valueOf(DEFAULT_TRANSFER_PORT)));
    transferEnv.put("NOVACRON_TRANSFER_SECRET", options.get("gpu-transfer-secret", ""));
    // TLS is the node's, not the engine's: the same certificate serves both engines of a machine.
    for (String tls : new String[] {"transfer-tls", "transfer-tls-cert", "transfer-tls-key", "transfer-tls-ca"}) {
      transferEnv.put("NOVACRON_" + tls.toUpperCase().replace('-', '_'), options.get(tls, ""));
    }
    TransferConfig transfer;
    try {
      transfer = TransferConfig.fromEnv(data, transferEnv);
    } catch (IllegalArgumentException e) {
      System.err.println("novacron-gpu-agent: " + e.getMessage());
      System.exit(64);
      return;
    }
    GpuAgentServices services = GpuAgentServices.start(inventory, new AgentPaths(data, roots), transfer);

    // GET /metrics on its own port (NOVACRON_GPU_METRICS_PORT, 9465): the host agent's 9464 is often
    // on the same machine, as with the transfer port above.
    AgentMetrics metrics = AgentMetrics.fromEnv(
        Map.of("NOVACRON_METRICS_PORT", options.get("gpu-metrics-port", String.valueOf(AgentMetrics.GPU_AGENT_PORT)),
            "NOVACRON_METRICS_ADDRESS", options.get("gpu-metrics-address", "127.0.0.1")),
        AgentMetrics.GPU_AGENT_PORT);
    WorkflowServiceStubs stubs = TemporalConnection.stubs(options.temporalTarget(), metrics.temporalScope());
    WorkflowClient client = TemporalConnection.client(stubs, options.namespace());
    WorkerFactory factory = WorkerFactory.newInstance(client);
    Worker worker = factory.newWorker(TaskQueues.gpu(node), AgentWorkers.options());
    services.register(worker, new TransferMetrics(metrics.registry()));
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
      services.close();
      metrics.close();
      stopped.countDown();
    }, "shutdown"));
    stopped.await();
  }
}
