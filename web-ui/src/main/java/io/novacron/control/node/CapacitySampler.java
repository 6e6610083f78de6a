package io.novacron.control.node;

import io.novacron.control.inventory.NodeLoad;
import io.novacron.control.inventory.NodeRepository;
import io.novacron.control.inventory.NodeRow;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Writes each announced node's capacity (the figures of the Nodes page's bars) into
 * {@link CapacitySamples} once per interval, for the node's capacity chart.
 */
@Component
class CapacitySampler {
  private final NodeRepository nodes;
  private final NodeLoad load;
  private final CapacitySamples samples;
  private final Clock clock;
  private final Duration interval;
  private final Duration retention;

  CapacitySampler(NodeRepository nodes, NodeLoad load, CapacitySamples samples, Clock clock,
      @Value("${novacron.samples.node-interval-millis:30000}") long intervalMillis,
      @Value("${novacron.samples.retention:7d}") Duration retention) {
    this.nodes = nodes;
    this.load = load;
    this.samples = samples;
    this.clock = clock;
    this.interval = Duration.ofMillis(intervalMillis);
    this.retention = retention;
  }

  @Scheduled(fixedDelayString = "${novacron.samples.node-interval-millis:30000}")
  void sample() {
    Instant at = tick(clock.instant(), interval);
    Map<String, NodeLoad.Reserved> reserved = load.byNode();
    for (NodeRow node : nodes.findAll()) {
      if (node.hostSeenAt() != null) { // a node only its GPU agent announced has no capacity figures
        samples.record(of(node, reserved.getOrDefault(node.name(), NodeLoad.Reserved.NONE), at));
      }
    }
  }

  @Scheduled(fixedDelayString = "${novacron.samples.prune-interval-millis:3600000}", initialDelay = 60_000)
  void prune() {
    samples.deleteBefore(clock.instant().minus(retention));
  }

  /**
   * The start of the interval {@code now} falls in, counted from the epoch: every replica sampling
   * within one interval names the same instant, so the table's key keeps one of their rows.
   */
  static Instant tick(Instant now, Duration interval) {
    long ms = interval.toMillis();
    if (ms <= 0) {
      throw new IllegalArgumentException("novacron.samples.node-interval-millis must be positive, was " + ms);
    }
    return Instant.ofEpochMilli(Math.floorDiv(now.toEpochMilli(), ms) * ms);
  }

  /** The sample of {@code node} with {@code held} reserved on it, as the Nodes page's bars count them. */
  static CapacitySamples.Sample of(NodeRow node, NodeLoad.Reserved held, Instant at) {
    return new CapacitySamples.Sample(node.name(), at, held.vcpus(), node.cpus(), held.memoryMib(), node.memoryMib(),
        node.storageTotalGib() - node.storageFreeGib(), node.storageTotalGib(), held.vms());
  }
}
