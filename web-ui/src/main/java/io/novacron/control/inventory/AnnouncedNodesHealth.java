package io.novacron.control.inventory;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * The nodes whose host agent's announcement the control plane has recorded and that are not
 * stale, as the health contributor {@code announcedNodes}, served without a token at
 * {@code /actuator/health/nodes} (the health group in application.properties).
 *
 * <p>Why a health contributor and not the API: the launcher ({@code novacron up}) waits for its
 * node's announcement before it says "up", and must not depend on an API token an admin may
 * revoke. It is always UP: a control plane with no nodes yet is healthy, so the overall health
 * (what probes and {@code up} wait for first) never turns on it. Node names are the only detail,
 * the same names the nodes' own hostnames and metrics carry.
 */
@Component("announcedNodes")
class AnnouncedNodesHealth implements HealthIndicator {
  private final NodeRepository nodes;
  private final Clock clock;

  AnnouncedNodesHealth(NodeRepository nodes, Clock clock) {
    this.nodes = nodes;
    this.clock = clock;
  }

  @Override
  public Health health() {
    Instant now = clock.instant();
    List<String> live = nodes.findAllByOrderByName().stream()
        .filter(node -> !node.hostStale(now)).map(NodeRow::name).toList();
    return Health.up().withDetail("nodes", live).build();
  }
}
