package io.novacron.control.api;

import io.novacron.control.inventory.NodeRepository;
import io.novacron.control.inventory.VmRepository;
import io.novacron.control.inventory.VmRow;
import io.novacron.control.provision.RunLauncher;
import io.novacron.workflows.provision.FieldError;
import io.novacron.workflows.provision.ProvisionVmRequest;
import io.novacron.workflows.provision.ProvisionVmValidator;
import io.novacron.control.run.RunRepository;
import io.novacron.workflows.run.RunTracker;
import java.util.ArrayList;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** VMs: provision (a run) and read the inventory. */
@RestController
@RequestMapping("/api/v1/vms")
class VmController {
  private final RunLauncher launcher;
  private final VmRepository vms;
  private final NodeRepository nodes;
  private final KeyedLaunches keys;

  VmController(RunLauncher launcher, VmRepository vms, NodeRepository nodes, KeyedLaunches keys) {
    this.launcher = launcher;
    this.vms = vms;
    this.nodes = nodes;
    this.keys = keys;
  }


  /**
   * Validates and starts a ProvisionVm run; answers 202 with the run id at once. With an
   * {@code Idempotency-Key} header a retry of the same request answers with the same run (and
   * starts nothing); the same key with another request is a 422. 400 names every
   * bad field (an unknown node too); 409 when a VM of that name exists.
   */
  @PostMapping
  ResponseEntity<RunAccepted> provision(
      @RequestBody(required = false) ProvisionVmRequest request,
      @RequestHeader(name = IdempotencyKey.HEADER, required = false) String idempotencyKey) {
    List<FieldError> errors = new ArrayList<>(ProvisionVmValidator.validate(request));
    IdempotencyKey.check(idempotencyKey).ifPresent(errors::add);
    if (!errors.isEmpty()) {
      throw new InvalidRequestException(errors);
    }
    String runId = RunLauncher.provisionRunId(request, idempotencyKey);
    // A retried launch answers as the first one did, even after the VM exists.
    if (keys.alreadyLaunched(runId, idempotencyKey, request)) {
      return accepted(runId);
    }
    String node = request.nodeOrNull();
    if (node != null && !nodes.existsById(node)) {
      // The workflow would fail the same way; saying it here saves the operator a run to read.
      throw new InvalidRequestException(List.of(new FieldError("node",
          "'" + node + "' is not a known node; leave it empty for automatic placement or pick one of GET /api/v1/nodes")));
    }
    if (vms.existsById(request.name())) {
      throw new ConflictException("a VM named '" + request.name() + "' already exists; choose another name");
    }
    launcher.provision(runId, request);
    return accepted(runId);
  }

  private static ResponseEntity<RunAccepted> accepted(String runId) {
    return RunAccepted.response(runId);
  }

  @GetMapping
  List<VmRow> list() {
    return vms.findAllByOrderByName();
  }

  @GetMapping("/{name}")
  VmRow get(@PathVariable String name) {
    return vms.findById(name).orElseThrow(() -> new NotFoundException("no VM named '" + name + "'"));
  }
}
