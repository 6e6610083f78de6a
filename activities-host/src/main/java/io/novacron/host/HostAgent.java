package io.novacron.host;

import io.novacron.host.console.ConsoleActivitiesImpl;
import io.novacron.host.libvirt.DomainEvents;
import io.novacron.host.libvirt.HostCapabilities;
import io.novacron.host.libvirt.LibvirtSession;
import io.novacron.host.migrate.MigrationActivitiesImpl;
import io.novacron.host.storage.DiskStore;
import io.novacron.host.storage.ImageDownloader;
import io.novacron.host.storage.ImageLibrary;
import io.novacron.transfer.TransferActivitiesImpl;
import io.novacron.transfer.TransferConfig;
import io.novacron.transfer.TransferMetrics;
import io.novacron.transfer.TransferNode;
import io.novacron.workflows.TaskQueues;
import io.novacron.workflows.image.ImageFiles;
import io.novacron.runtime.NodeAnnouncer;
import io.novacron.runtime.AgentMetrics;
import io.novacron.runtime.AgentWorkers;
import io.novacron.runtime.TemporalConnection;
import io.novacron.workflows.node.NodeFacts;
import io.novacron.workflows.node.NodeWorkflow;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.libvirt.LibvirtException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host agent process: polls its node's queue ({@code host.<node>}) for libvirt and storage
 * work and announces the node's facts through Temporal. It needs Temporal and its libvirt daemon,
 * nothing else for that: no database. Its one inbound port (7950 unless NOVACRON_TRANSFER_PORT says
 * otherwise) takes node-to-node transfer streams, each authorised by a one-time token.
 */
public final class HostAgent {
  private static final Logger log = LoggerFactory.getLogger(HostAgent.class);

  private HostAgent() {}

  public static void main(String[] args) throws Exception {
    HostAgentConfig config;
    TransferConfig transfer;
    try {
      config = HostAgentConfig.from(args, System.getenv());
      // Before libvirt and Temporal: missing transfer certificates are a start-up error with a fix.
      transfer = TransferConfig.fromEnv(config.dataDir().toAbsolutePath(), System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println("novacron-host-agent: " + e.getMessage());
      System.exit(64);
      return;
    }
    run(config, transfer);
  }

  /**
   * A domain started, stopped, defined or undefined behind NovaCron's back shows in the inventory
   * within seconds, not at the next interval (which stays: it covers a lost event).
   */
  private static void announceOnDomainEvents(LibvirtSession libvirt, NodeAnnouncer<NodeFacts> announcer) {
    try {
      DomainEvents.onChange(libvirt, announcer::announceSoon);
    } catch (LibvirtException e) {
      log.warn("cannot listen to domain events on {} ({}); announcing at the interval only", libvirt.uri(),
          e.getMessage());
    }
  }

  static void run(HostAgentConfig config, TransferConfig transfer) throws LibvirtException, IOException, InterruptedException {
    String version = HostAgent.class.getPackage().getImplementationVersion();
    version = version == null ? "dev" : version;
    // Before the first connection: libvirt delivers events only through a loop registered first.
    boolean events = DomainEvents.startLoop();
    LibvirtSession libvirt = new LibvirtSession(config.libvirtUri());
    HostCapabilities caps = HostCapabilities.parse(libvirt.call(c -> c.getCapabilities()));
    boolean hardware = HostCapabilities.hasHardwareVirtualization(Files.readString(Path.of("/proc/cpuinfo")));
    NodeIdentity identity = new NodeIdentity(config.node(), caps.arch(), caps.domainType(hardware));
    log.info("node {} drives {} (domain type {}, arch {})", config.node(), config.libvirtUri(),
        identity.domainType(), identity.arch());

    Path data = config.dataDir().toAbsolutePath();
    ImageLibrary images = new ImageLibrary(data.resolve(ImageFiles.LIBRARY_DIR));
    DiskStore disks = new DiskStore(libvirt, config.node(), data.resolve("disks"));
    // Node-to-node streams (disks, memory images, shards) arrive here, on the one inbound port.
    TransferNode transfers = TransferNode.start(transfer);

    // GET /metrics: the SDK's meters and ours (port 9464 unless NOVACRON_METRICS_PORT says otherwise).
    AgentMetrics metrics = AgentMetrics.fromEnv(System.getenv(), AgentMetrics.HOST_AGENT_PORT);
    WorkflowServiceStubs stubs = TemporalConnection.stubs(config.temporalTarget(), metrics.temporalScope());
    WorkflowClient client = TemporalConnection.client(stubs, config.namespace());
    WorkerFactory factory = WorkerFactory.newInstance(client);
    Worker worker = factory.newWorker(TaskQueues.host(config.node()), AgentWorkers.options());
    worker.registerActivitiesImplementations(new HostActivitiesImpl(
        libvirt, disks, images, identity, data.resolve("consoles"), Clock.systemUTC()),
        new MigrationActivitiesImpl(libvirt, disks, images, identity, data.resolve("consoles"),
            data.resolve("states"),
            config.migrationTransport(), Clock.systemUTC()),
        new HostTransferActivities(new TransferActivitiesImpl(transfers, new TransferMetrics(metrics.registry()))),
        new HostImageActivities(images, new ImageDownloader()),
        new ConsoleActivitiesImpl(data.resolve("consoles")));
    factory.start();

    NodeFactsCollector facts = new NodeFactsCollector(libvirt, disks, images, identity,
        caps.cpuModel(), version, config.announceIntervalSeconds(), Clock.systemUTC());
    NodeAnnouncer<NodeFacts> announcer = new NodeAnnouncer<>(client, config.node(), facts::collect,
        NodeWorkflow::announceHost, Duration.ofSeconds(config.announceIntervalSeconds()));
    announcer.start();
    if (events) {
      announceOnDomainEvents(libvirt, announcer);
    }
    log.info("host agent for node {} polls {} on {}", config.node(), TaskQueues.host(config.node()),
        config.temporalTarget());

    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      announcer.close();
      factory.shutdown();
      factory.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
      stubs.shutdown();
      transfers.close();
      libvirt.close();
      metrics.close();
      stopped.countDown();
    }, "shutdown"));
    stopped.await();
  }
}
