package io.novacron.control.node;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.novacron.control.inventory.NodeRepository;
import io.novacron.control.inventory.NodeRow;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Nodes as their agents announced them, with staleness computed now. */
@RestController
@RequestMapping("/api/v1/nodes")
class NodeController {
  private final NodeRepository nodes;
  private final Clock clock;

  NodeController(NodeRepository nodes, Clock clock) {
    this.nodes = nodes;
    this.clock = clock;
  }

  /** A node's row with what is computed now, flat in JSON: {@code {"name": ..., "hostStale": ...}}. */
  record NodeView(@JsonUnwrapped NodeRow node, boolean hostStale, boolean gpuStale, boolean simulated) {}

  @GetMapping
  List<NodeView> list() {
    Instant now = clock.instant();
    return nodes.findAllByOrderByName().stream()
        .map(n -> new NodeView(n, n.hostStale(now), n.gpuStale(now), n.simulated()))
        .toList();
  }
}
