package io.novacron.control.run;

import io.novacron.control.shared.NotFoundException;

import io.novacron.control.shared.InvalidRequestException;

import io.novacron.control.shared.ConflictException;

import io.novacron.control.run.RunControl;
import io.novacron.control.run.RunEventRepository;
import io.novacron.control.run.RunEventRow;
import io.novacron.control.run.RunRepository;
import io.novacron.control.run.RunResolutions;
import io.novacron.control.run.RunRow;
import io.novacron.control.run.RunStates;
import io.novacron.workflows.migrate.MigrateVmWorkflow;
import io.novacron.workflows.migrate.Resolution;
import io.novacron.workflows.FieldError;
import io.novacron.workflows.run.RunState;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.client.WorkflowClient;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Instant;
import java.util.List;
import org.springframework.http.ResponseEntity;
import com.fasterxml.jackson.annotation.JsonInclude;
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
  static final int MAX_PAGE_SIZE = 200;

  private final RunRepository runs;
  private final RunEventRepository events;
  private final WorkflowClient temporal;
  private final RunControl control;
  private final RunResolutions resolutions;

  private final RunItems items;

  RunController(RunRepository runs, RunEventRepository events, WorkflowClient temporal, RunControl control,
      RunResolutions resolutions, RunItems items) {
    this.items = items;
    this.runs = runs;
    this.events = events;
    this.temporal = temporal;
    this.control = control;
    this.resolutions = resolutions;
  }

  /** A run with its phase timeline. */
  record RunView(
      String id, String type, String subject, String state, String phase, String detail, String node,
      Instant startedAt, Instant updatedAt, Instant endedAt, List<PhaseView> timeline,
      @JsonInclude(JsonInclude.Include.NON_EMPTY) List<RunItems.Item> items) {}

  record PhaseView(String phase, String state, String detail, Instant at) {}

  @GetMapping("/{id}")
  RunView get(@PathVariable String id) {
    return runs.findById(id)
        .map(run -> view(run, events.findTimeline(id), items.of(id)))
        .orElseGet(() -> pending(id));
  }

  /**
   * Asks a running or queued run to cancel: 202, and the run rolls back what it did and ends
   * CANCELLED (a queued one has done nothing).
   * 404 for an unknown run, 409 for one that has already ended or waits for an operator: a run in
   * ATTENTION could not tell what rolling back would remove, so it is resolved, not cancelled.
   */
  @PostMapping("/{id}/cancel")
  ResponseEntity<RunView> cancel(@PathVariable String id) {
    RunView run = get(id);
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
  ResponseEntity<RunView> forceComplete(@PathVariable String id) {
    RunView run = get(id);
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

  @GetMapping
  List<RunView> list(@RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "50") int size) {
    if (page < 0) {
      throw new InvalidRequestException(List.of(new FieldError("page", "must be 0 or more, was " + page)));
    }
    if (size < 1 || size > MAX_PAGE_SIZE) {
      throw new InvalidRequestException(List.of(new FieldError("size", "must be between 1 and " + MAX_PAGE_SIZE + ", was " + size)));
    }
    return runs.findPage(size, (long) page * size).stream().map(run -> view(run, List.of(), List.of())).toList();
  }

  /**
   * A run Temporal knows but whose first record is not written yet (the workflow has not had its
   * first task): shown as running and pending rather than as missing.
   */
  private RunView pending(String id) {
    try {
      var described = temporal.getWorkflowServiceStubs().blockingStub().describeWorkflowExecution(
          DescribeWorkflowExecutionRequest.newBuilder()
              .setNamespace(temporal.getOptions().getNamespace())
              .setExecution(WorkflowExecution.newBuilder().setWorkflowId(id))
              .build());
      var info = described.getWorkflowExecutionInfo();
      Instant started = Instant.ofEpochSecond(info.getStartTime().getSeconds(), info.getStartTime().getNanos());
      return new RunView(id, info.getType().getName(), null, "RUNNING", "pending", null, null, started, started,
          null, List.of(), List.of());
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
        throw new NotFoundException("no run with id '" + id + "'");
      }
      throw e;
    }
  }

  private static RunView view(RunRow run, List<RunEventRow> timeline, List<RunItems.Item> items) {
    return new RunView(run.id(), run.type(), run.subject(), run.state(), run.phase(), run.detail(), run.node(),
        run.startedAt(), run.updatedAt(), run.endedAt(),
        timeline.stream().map(e -> new PhaseView(e.phase(), e.state(), e.detail(), e.at())).toList(), items);
  }
}
