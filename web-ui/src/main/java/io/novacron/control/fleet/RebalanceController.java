package io.novacron.control.fleet;

import io.novacron.control.shared.IdempotencyKey;
import io.novacron.workflows.fleet.RebalanceRequest;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Rebalance: even memory use across the nodes that are neither cordoned nor down. */
@RestController
@RequestMapping("/api/v1/rebalance")
class RebalanceController {
  private final FleetOrders orders;

  RebalanceController(FleetOrders orders) {
    this.orders = orders;
  }

  /**
   * Plans (by default, 200 with the moves and each node's share before and after) or, with
   * {@code "dryRun": false}, starts a Rebalance run (202). 400 names every bad field.
   */
  @PostMapping
  ResponseEntity<?> rebalance(@RequestBody(required = false) RebalanceRequest request,
      @RequestHeader(name = IdempotencyKey.HEADER, required = false) String idempotencyKey) {
    return orders.rebalance(request, idempotencyKey);
  }
}
