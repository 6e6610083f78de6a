package io.novacron.host;

import static org.assertj.core.api.Assertions.assertThat;

import io.novacron.host.libvirt.LibvirtSession;
import io.novacron.host.storage.DiskStore;
import io.novacron.host.storage.ImageLibrary;
import io.novacron.workflows.node.DomainFact;
import io.novacron.workflows.node.GuestAddress;
import io.novacron.workflows.node.NodeFacts;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.libvirt.Domain;
import org.libvirt.LibvirtException;

/**
 * What the host agent announces, read from libvirt's test driver ({@code test:///default}): its
 * built-in running domain {@code test} stands for a guest made outside NovaCron.
 */
class NodeFactsCollectorTest {
  private static final Instant NOW = Instant.parse("2026-12-03T10:00:00Z");

  @TempDir Path data;
  private LibvirtSession libvirt;
  private NodeFactsCollector collector;
  private final String name = "facts-" + UUID.randomUUID().toString().substring(0, 8);
  private final String uuid = UUID.randomUUID().toString();

  @BeforeEach
  void setUp() {
    libvirt = new LibvirtSession("test:///default");
    collector = new NodeFactsCollector(libvirt, new DiskStore(libvirt, "f1-" + name, data.resolve("disks")),
        new ImageLibrary(data.resolve("images")), new NodeIdentity("f1", "x86_64", "test"), null, "test", 15,
        Clock.fixed(NOW, ZoneOffset.UTC));
  }

  @AfterEach
  void tearDown() throws LibvirtException {
    Domain left = libvirt.call(c -> {
      try {
        return c.domainLookupByName(name);
      } catch (LibvirtException e) {
        return null;
      }
    });
    if (left != null) {
      left.undefine();
    }
    libvirt.close();
  }

  @Test
  void everyDomainIsAnnouncedRunningOrDefinedWithItsSizeAndTheTimeItWasRead() throws LibvirtException {
    define();

    NodeFacts facts = collector.collect();

    assertThat(facts.collectedAtMillis()).isEqualTo(NOW.toEpochMilli());
    assertThat(facts.domains()).contains(
        // The test driver's built-in guest has a NIC whose simulated DHCP lease libvirt reports:
        // running domains carry their addresses, defined ones none.
        new DomainFact("test", "6695eb01-f6a4-8304-79aa-97f2502e193f", "running", 2, 2048,
            List.of(new GuestAddress("aa:bb:cc:dd:ee:ff", "192.168.122.3", "lease"))),
        new DomainFact(name, uuid, "shutoff", 1, 64));
    assertThat(facts.networks()).as("the test driver's one network").containsExactly("default");
  }

  @Test
  void aDomainUndefinedBetweenTheListAndItsReadIsLeftOut() throws LibvirtException {
    Domain domain = define();
    domain.undefine();

    assertThat(NodeFactsCollector.read(domain)).isEmpty();
    assertThat(collector.collect().domains()).extracting(DomainFact::name).doesNotContain(name).contains("test");
  }

  private Domain define() throws LibvirtException {
    String xml = "<domain type='test'><name>" + name + "</name><uuid>" + uuid + "</uuid>"
        + "<memory unit='MiB'>64</memory><vcpu>1</vcpu><os><type>hvm</type></os></domain>";
    return libvirt.call(c -> c.domainDefineXML(xml));
  }
}
