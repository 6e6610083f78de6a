package io.novacron.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.timeout;
import static org.mockito.Mockito.verify;

import io.novacron.workflows.node.DomainFact;
import io.novacron.workflows.node.InventoryActivities;
import io.novacron.workflows.node.NodeFacts;
import io.novacron.workflows.node.NodeWorkflow;
import io.novacron.workflows.node.NodeWorkflowTestServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** An agent's announcer against the node workflow on Temporal's test server. */
class NodeAnnouncerTest {
  private static final String NODE = "node-a";
  /** A bound on waiting for the worker, never a timing assertion. */
  private static final int WAIT_MS = 30_000;

  @RegisterExtension
  final NodeWorkflowTestServer server = new NodeWorkflowTestServer();
  private final InventoryActivities inventory = server.inventory();

  @Test
  void anAnnouncementReachesTheInventory() {
    new NodeAnnouncer<>(server.client(), NODE, () -> facts(1), NodeWorkflow::announceHost, Duration.ofSeconds(10)).announce();
    verify(inventory, timeout(WAIT_MS)).recordNode(facts(1));
  }

  @Test
  void announceSoonSendsOneAnnouncementForABurstOfChangesAndAnotherForTheNext() {
    AtomicInteger reads = new AtomicInteger();
    try (NodeAnnouncer<NodeFacts> announcer = new NodeAnnouncer<>(server.client(), NODE, () -> {
      reads.incrementAndGet();
      return facts(9);
    }, NodeWorkflow::announceHost, Duration.ofHours(1))) {
      announcer.announceSoon();
      announcer.announceSoon();
      announcer.announceSoon();
      verify(inventory, timeout(WAIT_MS)).recordNode(facts(9));
      assertThat(reads).as("one announcement for the burst").hasValue(1);

      announcer.announceSoon();
      verify(inventory, timeout(WAIT_MS).times(2)).recordNode(facts(9));
      assertThat(reads).hasValue(2);
    }
  }
  private static NodeFacts facts(int generation) {
    return new NodeFacts(NODE, "lab-a", "EPYC", 16, 65536, "qemu:///system", "QEMU", "kvm",
        500, 400 - generation, List.of("tiny"), "0.1." + generation, 10,
        List.of(new DomainFact("web1", "6695eb01-f6a4-8304-79aa-97f2502e193f", "running", 2, 2048)),
        1_700_000_000_000L + generation);
  }
}
