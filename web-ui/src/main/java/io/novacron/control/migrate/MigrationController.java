package io.novacron.control.migrate;

import io.novacron.control.shared.KeyedLaunches;

import io.novacron.control.shared.OrderCheck;

import io.novacron.control.shared.InvalidRequestException;

import io.novacron.control.shared.IdempotencyKey;

import io.novacron.control.shared.RunAccepted;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.novacron.control.run.RunQuery;
import io.novacron.control.run.RunRecord;
import io.novacron.control.run.RunRecords;
import io.novacron.control.shared.Paging;
import io.novacron.workflows.migrate.MigrateVmWorkflow;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.novacron.control.shared.RunLauncher;
import io.novacron.workflows.migrate.MigrateVmRequest;
import io.novacron.workflows.migrate.MigrationMode;
import java.util.List;
import java.util.Objects;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Migrations: move a VM to another node (a MigrateVm run), and read them: each is the run record
 * of {@code GET /api/v1/runs/{id}}, with live {@code progress} while it transfers.
 */
@RestController
@RequestMapping("/api/v1/migrations")
class MigrationController {
  private final MigrationOrders orders;
  private final RunLauncher launcher;
  private final KeyedLaunches keys;
  private final ObjectMapper json;
  private final RunRecords records;

  MigrationController(MigrationOrders orders, RunLauncher launcher, KeyedLaunches keys, ObjectMapper json,
      RunRecords records) {
    this.records = records;
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
    if (order == null || order.vmName() == null) {
      orders.check(order).orThrow(); // names the missing fields
    }
    String runId = RunLauncher.migrationRunId(order.vmName(), idempotencyKey);
    // The replay comes before the check: a retry arrives after the VM has moved, when the same order
    // would be refused.
    keys.launch(runId, idempotencyKey, order, input -> sameOrder(order, input), () -> {
      OrderCheck<MigrateVmRequest> checked = orders.check(order).orThrow();
      launcher.migrate(runId, checked.request());
    });
    return RunAccepted.response(runId);
  }

  /**
   * The migrations (MigrateVm runs), newest first, as a plain JSON array of run records with the
   * total in {@code X-Total-Count}; {@code vm} narrows to one VM's, {@code state} to a run state (any
   * case). 400 names a bad {@code page}, {@code size} or {@code state}.
   */
  @GetMapping
  ResponseEntity<List<RunRecord>> list(
      @RequestParam(required = false) String vm,
      @RequestParam(required = false) String state,
      @Parameter(schema = @Schema(type = "integer", minimum = "0", defaultValue = "0"))
      @RequestParam(required = false) String page,
      @Parameter(schema = @Schema(type = "integer", minimum = "1", maximum = "200", defaultValue = "50"))
      @RequestParam(required = false) String size) {
    Paging paging = Paging.of(page, size);
    RunRecords.Page found = records.page(RunQuery.of(MigrateVmWorkflow.TYPE, state, vm, "state"), paging);
    return Paging.response(found.items(), found.total());
  }

  /**
   * One migration: the run record with its timeline and, while it transfers, its {@code progress}.
   * 404 for an unknown run and for a run that is not a migration.
   */
  @GetMapping("/{runId}")
  RunRecord get(@PathVariable String runId) {
    return records.getOfType(runId, MigrateVmWorkflow.TYPE, "migration", "/api/v1/migrations");
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
