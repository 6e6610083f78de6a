package io.novacron.control.migrate;

import io.novacron.control.shared.KeyedLaunches;

import io.novacron.control.shared.OrderCheck;

import io.novacron.control.shared.InvalidRequestException;

import io.novacron.control.shared.IdempotencyKey;

import io.novacron.control.shared.RunAccepted;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.novacron.control.migrate.MigrationOrder;
import io.novacron.control.migrate.MigrationOrders;
import io.novacron.control.shared.RunLauncher;
import io.novacron.workflows.migrate.MigrateVmRequest;
import io.novacron.workflows.migrate.MigrationMode;
import java.util.List;
import java.util.Objects;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Migrations: move a VM to another node (a MigrateVm run). */
@RestController
@RequestMapping("/api/v1/migrations")
class MigrationController {
  private final MigrationOrders orders;
  private final RunLauncher launcher;
  private final KeyedLaunches keys;
  private final ObjectMapper json;

  MigrationController(MigrationOrders orders, RunLauncher launcher, KeyedLaunches keys, ObjectMapper json) {
    this.orders = orders;
    this.launcher = launcher;
    this.keys = keys;
    this.json = json;
  }

  /**
   * Validates and starts a MigrateVm run; answers 202 with the run id at once. 400 names every bad
   * field: an unknown VM, an unknown target or the VM's own node, options out of range. With an
   * {@code Idempotency-Key} a retry answers with the same run, even after the VM has moved; the
   * same key with another request is a 422.
   */
  @PostMapping
  ResponseEntity<RunAccepted> migrate(
      @RequestBody(required = false) MigrationOrder order,
      @RequestHeader(name = IdempotencyKey.HEADER, required = false) String idempotencyKey) {
    IdempotencyKey.check(idempotencyKey).ifPresent(error -> {
      throw new InvalidRequestException(List.of(error));
    });
    // Before the check: a retry arrives after the VM has moved, when the same order would be refused.
    if (order != null && order.vmName() != null) {
      String runId = RunLauncher.migrationRunId(order.vmName(), idempotencyKey);
      if (keys.alreadyLaunched(runId, idempotencyKey, input -> sameOrder(order, input))) {
        return RunAccepted.response(runId);
      }
    }
    OrderCheck<MigrateVmRequest> checked = orders.check(order).orThrow();
    String runId = RunLauncher.migrationRunId(order.vmName(), idempotencyKey);
    launcher.migrate(runId, checked.request());
    return RunAccepted.response(runId);
  }

  /** Whether the recorded input of an earlier run is what this order asks for. */
  private boolean sameOrder(MigrationOrder order, String recordedInput) {
    try {
      MigrateVmRequest earlier = json.readValue(recordedInput, MigrateVmRequest.class);
      return Objects.equals(earlier.vmName(), order.vmName())
          && Objects.equals(earlier.targetNode(), order.targetNode())
          && mode(earlier.mode()) == mode(order.mode())
          && Objects.equals(earlier.resolvedOptions(),
              new MigrateVmRequest(null, null, null, null, order.options()).resolvedOptions());
    } catch (JsonProcessingException e) {
      return false;
    }
  }

  private static MigrationMode mode(MigrationMode mode) {
    return mode == null ? MigrationMode.LIVE : mode;
  }
}
