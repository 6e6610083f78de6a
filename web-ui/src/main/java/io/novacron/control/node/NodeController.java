package io.novacron.control.node;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.novacron.control.fleet.FleetOrders;
import io.novacron.control.inventory.NodeRepository;
import io.novacron.control.inventory.NodeRow;
import io.novacron.control.shared.IdempotencyKey;
import io.novacron.control.shared.InvalidRequestException;
import io.novacron.control.shared.NotFoundException;
import io.novacron.control.shared.Paging;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Nodes as their agents announced them, with staleness computed now; cordon, uncordon and drain. */
@RestController
@RequestMapping("/api/v1/nodes")
class NodeController {
  private final NodeRepository nodes;
  private final NodeCordons cordons;
  private final FleetOrders fleet;
  private final Clock clock;

  private final NodeLabels labels;

  NodeController(NodeRepository nodes, NodeCordons cordons, FleetOrders fleet, Clock clock, NodeLabels labels) {
    this.labels = labels;
    this.nodes = nodes;
    this.cordons = cordons;
    this.fleet = fleet;
    this.clock = clock;
  }

  /**
   * A node's row with what is computed now, flat in JSON: {@code {"name": ..., "hostStale": ...}}.
   * {@code down}: the host agent missed three announcements; its VMs' state is unknown.
   */
  record NodeView(@JsonUnwrapped NodeRow node, boolean hostStale, boolean gpuStale, boolean simulated,
      boolean down) {
    static NodeView of(NodeRow n, Instant now) {
      return new NodeView(n, n.hostStale(now), n.gpuStale(now), n.simulated(), n.hostSeenAt() != null && n.hostStale(now));
    }
  }

  /** Why an operator cordons a node; optional. */
  record CordonOrder(String reason) {}

  /**
   * The nodes by name, one page as a plain JSON array with the total in {@code X-Total-Count}. 400
   * names a bad {@code page} or {@code size}.
   */
  @GetMapping
  ResponseEntity<List<NodeView>> list(
      @Parameter(schema = @Schema(type = "integer", minimum = "0", defaultValue = "0"))
      @RequestParam(required = false) String page,
      @Parameter(schema = @Schema(type = "integer", minimum = "1", maximum = "200", defaultValue = "50"))
      @RequestParam(required = false) String size) {
    Paging paging = Paging.of(page, size);
    Instant now = clock.instant();
    return Paging.response(nodes.findPage(paging.size(), paging.offset()).stream().map(n -> NodeView.of(n, now)).toList(),
        nodes.count());
  }

  /** One node. 404 for a node no agent announced. */
  @GetMapping("/{name}")
  NodeView get(@PathVariable String name) {
    return nodes.findById(name).map(n -> NodeView.of(n, clock.instant())).orElseThrow(() -> NodeCordons.unknown(name));
  }

  /**
   * Cordons the node: it takes no new VMs (placement and migration targets skip it, saying why), its
   * own VMs keep running. Idempotent: a cordoned node keeps its first reason. 404 for an unknown node.
   */
  @PostMapping("/{name}/cordon")
  NodeView cordon(@PathVariable String name, @RequestBody(required = false) CordonOrder order) {
    String reason = order == null ? null : order.reason();
    if (reason != null && reason.length() > NodeCordons.MAX_REASON) {
      throw new InvalidRequestException(List.of(new io.novacron.workflows.FieldError("reason",
          "at most " + NodeCordons.MAX_REASON + " characters, was " + reason.length())));
    }
    cordons.cordon(name, reason);
    return get(name);
  }

  /**
   * Replaces all of the node's labels with the body's JSON object ({@code {}} removes all); 200
   * with the node. VMs ask for them with node selectors (VM labels {@code node.novacron.io/<key>});
   * labels change no VM already placed. 400 names each bad label and the rule; 404 for an unknown node.
   */
  @PutMapping("/{name}/labels")
  NodeView replaceLabels(@PathVariable String name, @RequestBody(required = false) Map<String, String> body) {
    labels.replace(name, body);
    return get(name);
  }

  /** Merges the body's JSON object into the node's labels (a null value removes the label); 200 with the node. */
  @PatchMapping("/{name}/labels")
  NodeView mergeLabels(@PathVariable String name, @RequestBody(required = false) Map<String, String> body) {
    labels.merge(name, body);
    return get(name);
  }

  /** Uncordons the node. Idempotent; 409 while a drain of the node runs, 404 for an unknown node. */
  @PostMapping("/{name}/uncordon")
  NodeView uncordon(@PathVariable String name) {
    cordons.uncordon(name);
    return get(name);
  }

  /**
   * Drains the node: with {@code "dryRun": true} 200 and the plan (which VM goes where, in what
   * order, why), nothing changed; otherwise 202 and a DrainNode run that cordons the node and moves
   * every VM off. 400 names every bad field, 404 for an unknown node, 409 while another drain of the
   * node runs. With an {@code Idempotency-Key} a retry answers with the same run.
   */
  @PostMapping("/{name}/drain")
  ResponseEntity<?> drain(@PathVariable String name, @RequestBody(required = false) FleetOrders.DrainOrder order,
      @RequestHeader(name = IdempotencyKey.HEADER, required = false) String idempotencyKey) {
    if (!cordons.exists(name)) {
      throw new NotFoundException(NodeCordons.unknown(name).getMessage());
    }
    return fleet.drain(name, order, idempotencyKey);
  }
}
