package io.novacron.control.bench;

import io.novacron.host.HostActivitiesImpl;
import io.novacron.host.HostImageActivities;
import io.novacron.host.HostTransferActivities;
import io.novacron.host.NodeFactsCollector;
import io.novacron.host.NodeIdentity;
import io.novacron.host.console.ConsoleActivitiesImpl;
import io.novacron.host.libvirt.LibvirtSession;
import io.novacron.host.migrate.MigrationActivitiesImpl;
import io.novacron.host.storage.DiskStore;
import io.novacron.host.storage.ImageDownloader;
import io.novacron.host.storage.ImageLibrary;
import io.novacron.runtime.NodeAnnouncer;
import io.novacron.transfer.TransferActivitiesImpl;
import io.novacron.transfer.TransferConfig;
import io.novacron.transfer.TransferNode;
import io.novacron.workflows.TaskQueues;
import io.novacron.workflows.node.NodeFacts;
import io.novacron.workflows.node.NodeWorkflow;
import io.temporal.client.WorkflowClient;
import io.temporal.worker.WorkerFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.libvirt.Domain;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A whole host agent (host, migration, image, console and transfer-engine activities, and its
 * announcements) in the test JVM on a private libvirt test-driver host of its own: a
 * {@code test:///<file>} URI, so that every node has its own simulated hypervisor (libvirt's
 * {@code test:///default} is one host shared by every connection of the process). Real libvirt
 * calls and real transfers between the nodes' engines; no guest runs.
 */
public final class TestDriverNode implements AutoCloseable {
  private final String name;
  private final Path data;
  private final LibvirtSession libvirt;
  private final TransferNode transfers;
  private final WorkerFactory factory;
  private final NodeAnnouncer<NodeFacts> announcer;

  /**
   * @param cpus logical CPUs the simulated host has
   * @param memoryMib its memory
   */
  public TestDriverNode(WorkflowClient client, String name, Path data, int cpus, long memoryMib) throws Exception {
    this.name = name;
    this.data = data;
    Files.createDirectories(data);
    Path host = data.resolve("test-host.xml");
    // The topology must multiply to the CPU count: the test driver otherwise reports its default 16.
    Files.writeString(host, "<node><cpu><mhz>2000</mhz><model>x86_64</model><active>" + cpus + "</active><total>"
        + cpus + "</total><nodes>1</nodes><sockets>1</sockets><cores>" + cpus + "</cores><threads>1</threads></cpu>"
        + "<memory>" + memoryMib * 1024 + "</memory></node>\n");
    String uri = "test://" + host.toAbsolutePath();
    libvirt = new LibvirtSession(uri);
    NodeIdentity identity = new NodeIdentity(name, "x86_64", "test");
    DiskStore disks = new DiskStore(libvirt, name, data.resolve("disks"));
    ImageLibrary images = new ImageLibrary(data.resolve("images"));
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    transfers = TransferNode.start(new TransferConfig(data, "127.0.0.1", 0, secret));
    factory = WorkerFactory.newInstance(client);
    factory.newWorker(TaskQueues.host(name)).registerActivitiesImplementations(
        new HostActivitiesImpl(libvirt, disks, images, identity, data.resolve("consoles"), Clock.systemUTC()),
        new MigrationActivitiesImpl(libvirt, disks, images, identity, data.resolve("consoles"), data.resolve("states"),
            uri, Clock.systemUTC()),
        new HostImageActivities(images, new ImageDownloader()),
        new ConsoleActivitiesImpl(data.resolve("consoles")),
        new HostTransferActivities(new TransferActivitiesImpl(transfers)));
    factory.start();
    NodeFactsCollector facts = new NodeFactsCollector(libvirt, disks, images, identity, null, "test", 60,
        Clock.systemUTC());
    announcer = new NodeAnnouncer<>(client, name, facts::collect, NodeWorkflow::announceHost, Duration.ofSeconds(60));
    announcer.start();
  }

  public String name() {
    return name;
  }

  /** The node's data directory (disks, consoles, states). */
  public Path data() {
    return data;
  }

  /** The domains this node's hypervisor has defined, running or not. */
  public List<String> domains() throws Exception {
    return libvirt.call(c -> {
      List<String> names = new ArrayList<>();
      for (int id : c.listDomains()) {
        names.add(c.domainLookupByID(id).getName());
      }
      for (String defined : c.listDefinedDomains()) {
        names.add(defined);
      }
      return names;
    });
  }

  /** Whether {@code vm} is defined here and running. */
  public boolean runs(String vm) throws Exception {
    return libvirt.call(c -> {
      for (int id : c.listDomains()) {
        Domain domain = c.domainLookupByID(id);
        if (domain.getName().equals(vm)) {
          return true;
        }
      }
      return false;
    });
  }

  @Override
  public void close() {
    announcer.close();
    factory.shutdown();
    factory.awaitTermination(10, TimeUnit.SECONDS);
    transfers.close();
    libvirt.close();
  }

  /**
   * Waits (up to two minutes) until {@code count} nodes whose names start with {@code prefix} have
   * announced themselves to the control plane's inventory.
   */
  static void awaitAnnounced(JdbcClient jdbc, String prefix, int count) throws InterruptedException {
    for (int i = 0; i < 600; i++) {
      long seen = jdbc.sql("select count(*) from nodes where name like :prefix || '%'"
              + " and host_seen_at > now() - interval '5 minutes'")
          .param("prefix", prefix).query(Long.class).single();
      if (seen >= count) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("the bench's nodes (" + prefix + "*) did not announce themselves");
  }
}
