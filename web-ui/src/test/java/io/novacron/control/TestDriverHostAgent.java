package io.novacron.control;

import io.novacron.host.HostActivitiesImpl;
import io.novacron.host.HostImageActivities;
import io.novacron.host.console.ConsoleActivitiesImpl;
import io.novacron.host.NodeFactsCollector;
import io.novacron.host.NodeIdentity;
import io.novacron.host.libvirt.LibvirtSession;
import io.novacron.host.migrate.MigrationActivitiesImpl;
import io.novacron.host.storage.DiskStore;
import io.novacron.host.storage.ImageDownloader;
import io.novacron.host.storage.ImageLibrary;
import io.novacron.workflows.TaskQueues;
import io.novacron.runtime.NodeAnnouncer;
import io.novacron.workflows.node.NodeFacts;
import io.novacron.workflows.node.NodeWorkflow;
import io.temporal.client.WorkflowClient;
import io.temporal.worker.WorkerFactory;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The host agent's own activities and announcer, in the test JVM, on libvirt's built-in test driver
 * ({@code test:///default}): real libvirt calls and real run records, no daemon and no guest. It
 * polls {@code host.<node>} like the agent process does, so provisioning onto {@code node} and
 * power actions on its VMs run end to end.
 */
public final class TestDriverHostAgent implements AutoCloseable {
  private final LibvirtSession libvirt;
  private final WorkerFactory factory;
  private final NodeAnnouncer<NodeFacts> announcer;

  public TestDriverHostAgent(WorkflowClient client, String node, Path data) {
    libvirt = new LibvirtSession("test:///default");
    NodeIdentity identity = new NodeIdentity(node, "x86_64", "test");
    DiskStore disks = new DiskStore(libvirt, node, data.resolve("disks"));
    ImageLibrary images = new ImageLibrary(data.resolve("images"));
    factory = WorkerFactory.newInstance(client);
    factory.newWorker(TaskQueues.host(node)).registerActivitiesImplementations(
        new HostActivitiesImpl(libvirt, disks, images, identity, data.resolve("consoles"), Clock.systemUTC()),
        // As the agent registers it; VmPower's stop is its graceful-then-forced shutdown.
        new MigrationActivitiesImpl(libvirt, disks, images, identity, data.resolve("consoles"),
            data.resolve("states"), "test:///default", Clock.systemUTC()),
        new HostImageActivities(images, new ImageDownloader()),
        new ConsoleActivitiesImpl(data.resolve("consoles")));
    factory.start();
    NodeFactsCollector facts = new NodeFactsCollector(libvirt, disks, images, identity, null, "test", 60,
        Clock.systemUTC());
    announcer = new NodeAnnouncer<>(client, node, facts::collect, NodeWorkflow::announceHost, Duration.ofSeconds(60));
    announcer.start();
  }

  /** Announces the node now, as the agent does at its interval (and on a domain event). */
  public void announceNow() {
    announcer.announce();
  }

  @Override
  public void close() {
    announcer.close();
    factory.shutdown();
    factory.awaitTermination(10, TimeUnit.SECONDS);
    libvirt.close();
  }
}
