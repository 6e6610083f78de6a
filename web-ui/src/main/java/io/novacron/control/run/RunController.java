package io.novacron.control.run;

import io.novacron.control.shared.NotFoundException;

import io.novacron.control.shared.InvalidRequestException;

import io.novacron.control.shared.ConflictException;

import io.novacron.control.shared.Paging;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.novacron.workflows.migrate.MigrateVmWorkflow;
import io.novacron.workflows.migrate.Resolution;
import io.novacron.workflows.FieldError;
import io.novacron.workflows.run.RunState;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Runs: state, phase and timeline, from the run records the workflows write. */
@RestController
@RequestMapping("/api/v1/runs")
class RunController {
  private final RunRecords records;
  private final RunControl control;
  private final RunResolutions resolutions;

  RunController(RunRecords records, RunControl control, RunResolutions resolutions) {
    this.records = records;
    this.control = control;
    this.resolutions = resolutions;
  }

  /**
   * A run with its phase timeline, a drain's items and, while it copies bytes, its live
   * {@code progress}. A run Temporal knows but has not recorded yet is RUNNING in phase
   * {@code pending}. 404 for a run neither knows.
   */
  @GetMapping("/{id}")
  RunRecord get(@PathVariable String id) {
    return records.get(id);
  }

  /**
   * Asks a running or queued run to cancel: 202, and the run rolls back what it did and ends
   * CANCELLED (a queued one has done nothing).
   * 404 for an unknown run, 409 for one that has already ended or waits for an operator: a run in
   * ATTENTION could not tell what rolling back would remove, so it is resolved, not cancelled.
   */
  @PostMapping("/{id}/cancel")
  ResponseEntity<RunRecord> cancel(@PathVariable String id) {
    RunRecord run = get(id);
    if (RunState.ATTENTION.name().equals(run.state())) {
      throw new ConflictException("run '" + id + "' waits for an operator (ATTENTION) and cannot be cancelled;"
          + " resolve it instead: POST /api/v1/runs/" + id + "/resolve with {\"action\":\"abandon\"} (or retry,"
          + " keep-source, keep-target)");
    }
    if (!RunStates.active(run.state())) {
      throw new ConflictException("run '" + id + "' has already ended (" + run.state() + "); nothing to cancel");
    }
    control.cancel(id);
    return ResponseEntity.accepted().body(run);
  }

  /**
   * Asks a migration in its transfer phase to complete now by pausing the guest: 202. 409 for a
   * run that has ended or is not a migration; the workflow ignores it outside the transfer phase.
   */
  @PostMapping("/{id}/force-complete")
  ResponseEntity<RunRecord> forceComplete(@PathVariable String id) {
    RunRecord run = get(id);
    if (!"RUNNING".equals(run.state()) || !MigrateVmWorkflow.TYPE.equals(run.type())) {
      throw new ConflictException("run '" + id + "' is " + run.state() + " " + run.type()
          + "; only a running MigrateVm can be forced to complete");
    }
    control.forceComplete(id);
    return ResponseEntity.accepted().body(run);
  }

  /** An operator's answer to a run in ATTENTION. */
  record ResolveOrder(String action) {}

  /** What the run said it will do with the resolution. */
  record Resolved(String runId, String action, String answer) {}

  /**
   * Answers a MigrateVm run that waits for an operator (ATTENTION) with {@code {"action": "retry" |
   * "abandon" | "keep-source" | "keep-target"}}: 200 with the run's answer, sent through the
   * workflow's {@code resolve} update. 400 names a missing or unknown {@code action}; 404 for an
   * unknown run; 409 for a run that does not wait for an operator, or whose validator refuses the
   * action (its message says why, e.g. that the copy to keep was not last seen running).
   */
  @PostMapping("/{id}/resolve")
  ResponseEntity<Resolved> resolve(@PathVariable String id, @RequestBody(required = false) ResolveOrder order) {
    String action = order == null ? null : order.action();
    Resolution resolution = RunResolutions.parse(action).orElseThrow(() -> new InvalidRequestException(List.of(
        new FieldError("action", (action == null ? "is required" : "'" + action + "' is not an action")
            + "; send one of " + String.join(", ", RunResolutions.actions())))));
    RunResolutions.Outcome outcome = resolutions.resolve(id, resolution);
    return switch (outcome.verdict()) {
      case UNKNOWN_RUN -> throw new NotFoundException(outcome.message());
      case REFUSED -> throw new ConflictException(outcome.message());
      case RESOLVED -> ResponseEntity.ok(new Resolved(id, action, outcome.message()));
    };
  }

  /**
   * The runs, newest first, as a plain JSON array of run records (no timelines) with the total in
   * {@code X-Total-Count}; filtered by exact {@code type} (e.g. MigrateVm), {@code state} (a run state,
   * any case) and {@code subject} (a VM's, deployment's or node's name). 400 names a bad
   * {@code page}, {@code size} or {@code state}.
   */
  @GetMapping
  ResponseEntity<List<RunRecord>> list(
      @RequestParam(required = false) String type,
      @RequestParam(required = false) String state,
      @RequestParam(required = false) String subject,
      @Parameter(schema = @Schema(type = "integer", minimum = "0", defaultValue = "0"))
      @RequestParam(required = false) String page,
      @Parameter(schema = @Schema(type = "integer", minimum = "1", maximum = "200", defaultValue = "50"))
      @RequestParam(required = false) String size) {
    Paging paging = Paging.of(page, size);
    RunRecords.Page found = records.page(RunQuery.of(type, state, subject, "state"), paging);
    return Paging.response(found.items(), found.total());
  }
}
