package io.novacron.control.model;

import io.novacron.control.shared.NotFoundException;

import io.novacron.control.shared.ConflictException;

import io.novacron.control.shared.InvalidRequestException;

import io.novacron.control.shared.IdempotencyKey;

import io.novacron.control.shared.RunAccepted;

import io.novacron.control.shared.KeyedLaunches;

import io.novacron.control.model.DeployOrders;
import io.novacron.control.shared.RunLauncher;
import io.novacron.control.run.RunQuery;
import io.novacron.control.run.RunRecord;
import io.novacron.control.run.RunRecords;
import io.novacron.control.run.RunRepository;
import io.novacron.control.shared.Paging;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.novacron.workflows.model.deploy.DeployModelRequest;
import io.novacron.workflows.model.deploy.DeployModelValidator;
import io.novacron.workflows.model.deploy.DeployModelWorkflow;
import io.novacron.workflows.FieldError;
import java.util.ArrayList;
import java.util.List;
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
 * Model deployments: each is a DeployModel run, listed and read here (the same run record as
 * {@code GET /api/v1/runs/{id}}) and cancelled through {@code /api/v1/runs}.
 * The run stays RUNNING in phase {@code serving} while the model serves.
 */
@RestController
@RequestMapping("/api/v1/deployments")
class DeploymentController {
  private final RunLauncher launcher;
  private final DeployOrders orders;
  private final RunRepository runs;
  private final KeyedLaunches keys;
  private final RunRecords records;

  DeploymentController(RunLauncher launcher, DeployOrders orders, RunRepository runs, KeyedLaunches keys,
      RunRecords records) {
    this.records = records;
    this.launcher = launcher;
    this.orders = orders;
    this.runs = runs;
    this.keys = keys;
  }

  /**
   * Validates and starts a DeployModel run; 202 with the run id. 400 names every bad field,
   * unknown nodes included; 409 while another run of the same deployment runs;
   * {@code Idempotency-Key} as for {@code POST /api/v1/vms}.
   */
  @PostMapping
  ResponseEntity<RunAccepted> deploy(
      @RequestBody(required = false) DeployModelRequest request,
      @RequestHeader(name = IdempotencyKey.HEADER, required = false) String idempotencyKey) {
    List<FieldError> errors = new ArrayList<>(DeployModelValidator.validate(request));
    IdempotencyKey.check(idempotencyKey).ifPresent(errors::add);
    if (!errors.isEmpty()) {
      throw new InvalidRequestException(errors);
    }
    String runId = RunLauncher.runId("deploy", request.name(), idempotencyKey);
    keys.launch(runId, idempotencyKey, request, () -> {
      orders.check(request).orThrow();
      launcher.deploy(runId, request);
    });
    return RunAccepted.response(runId);
  }

  /** Stops a serving deployment on every node; the run then ends SUCCEEDED. 404 for an unknown run. */
  @PostMapping("/{runId}/stop")
  ResponseEntity<RunAccepted> stop(@PathVariable String runId) {
    var run = runs.findById(runId).filter(r -> DeployModelWorkflow.TYPE.equals(r.type()))
        .orElseThrow(() -> new NotFoundException("no deployment run '" + runId + "'"));
    if (!"RUNNING".equals(run.state())) {
      throw new ConflictException("deployment run '" + runId + "' has already ended (" + run.state() + ")");
    }
    launcher.stopDeployment(runId);
    return RunAccepted.response(runId);
  }

  /**
   * The deployments (DeployModel runs), newest first, as a plain JSON array of run records with the
   * total in {@code X-Total-Count}; {@code state} narrows to a run state (any case; a serving
   * deployment is RUNNING). 400 names a bad {@code page}, {@code size} or {@code state}.
   */
  @GetMapping
  ResponseEntity<List<RunRecord>> list(
      @RequestParam(required = false) String state,
      @Parameter(schema = @Schema(type = "integer", minimum = "0", defaultValue = "0"))
      @RequestParam(required = false) String page,
      @Parameter(schema = @Schema(type = "integer", minimum = "1", maximum = "200", defaultValue = "50"))
      @RequestParam(required = false) String size) {
    Paging paging = Paging.of(page, size);
    RunRecords.Page found = records.page(RunQuery.of(DeployModelWorkflow.TYPE, state, null, "state"), paging);
    return Paging.response(found.items(), found.total());
  }

  /** One deployment: its run record with the timeline. 404 for an unknown run and for a run that is not a deployment. */
  @GetMapping("/{runId}")
  RunRecord get(@PathVariable String runId) {
    return records.getOfType(runId, DeployModelWorkflow.TYPE, "deployment", "/api/v1/deployments");
  }
}
