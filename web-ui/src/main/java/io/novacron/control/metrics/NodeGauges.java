package io.novacron.control.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.novacron.control.inventory.DownNodes;
import io.novacron.control.inventory.NodeRepository;
import io.novacron.control.inventory.NodeRow;
import java.time.Clock;
import java.time.Instant;
import org.springframework.stereotype.Component;

/**
 * {@code novacron_nodes{state="up|cordoned|down"}}: the nodes whose host agent has announced itself,
 * by what placement makes of them now. {@code down} is {@link DownNodes}' rule (three announcements
 * missed: placement refuses the node and its VMs show as unknown); {@code cordoned} a node that
 * answers but takes no new VMs; {@code up} the rest. Nodes no host agent ever announced (GPU-only
 * records) are not counted.
 */
@Component
class NodeGauges implements MeterBinder {
  private final NodeRepository nodes;
  private final Clock clock;

  NodeGauges(NodeRepository nodes, Clock clock) {
    this.nodes = nodes;
    this.clock = clock;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    for (String state : new String[] {"up", "cordoned", "down"}) {
      Gauge.builder("novacron.nodes", () -> count(state))
          .description("Nodes with a host agent, by state: up, cordoned (takes no new VMs), down (missed three"
              + " announcements)")
          .tag("state", state)
          .register(registry);
    }
  }

  long count(String state) {
    Instant now = clock.instant();
    return nodes.findAllByOrderByName().stream().filter(n -> n.hostSeenAt() != null)
        .filter(n -> state.equals(state(n, now))).count();
  }

  /** The state label of {@code node} at {@code now}: down wins over cordoned. */
  static String state(NodeRow node, Instant now) {
    if (node.hostStale(now)) {
      return "down";
    }
    return node.cordoned() ? "cordoned" : "up";
  }
}
