package io.novacron.control.model;

import io.novacron.control.shared.NotFoundException;

import io.novacron.control.shared.ConflictException;

import io.novacron.control.shared.InvalidRequestException;

import io.novacron.control.shared.IdempotencyKey;

import io.novacron.control.shared.RunAccepted;

import io.novacron.control.shared.KeyedLaunches;

import io.novacron.control.model.DeployOrders;
import io.novacron.control.shared.RunLauncher;
import io.novacron.control.run.RunRepository;
import io.novacron.workflows.model.deploy.DeployModelRequest;
import io.novacron.workflows.model.deploy.DeployModelValidator;
import io.novacron.workflows.model.deploy.DeployModelWorkflow;
import io.novacron.workflows.FieldError;
import java.util.ArrayList;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Model deployments: each is a DeployModel run, read and cancelled through {@code /api/v1/runs}.
 * The run stays RUNNING in phase {@code serving} while the model serves.
 */
@RestController
@RequestMapping("/api/v1/deployments")
class DeploymentController {
  private final RunLauncher launcher;
  private final DeployOrders orders;
  private final RunRepository runs;
  private final KeyedLaunches keys;

  DeploymentController(RunLauncher launcher, DeployOrders orders, RunRepository runs, KeyedLaunches keys) {
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
    if (keys.alreadyLaunched(runId, idempotencyKey, request)) {
      return RunAccepted.response(runId);
    }
    orders.check(request).orThrow();
    launcher.deploy(runId, request);
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

}
