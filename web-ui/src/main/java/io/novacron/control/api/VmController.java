package io.novacron.control.api;

import io.novacron.control.inventory.NodeRepository;
import io.novacron.control.inventory.VmRepository;
import io.novacron.control.inventory.VmRow;
import io.novacron.control.provision.RunLauncher;
import io.novacron.workflows.provision.FieldError;
import io.novacron.workflows.provision.ProvisionVmRequest;
import io.novacron.workflows.provision.ProvisionVmValidator;
import java.net.URI;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** VMs: provision (a run) and read the inventory. */
@RestController
@RequestMapping("/api/v1/vms")
class VmController {
  private final RunLauncher launcher;
  private final VmRepository vms;
  private final NodeRepository nodes;

  VmController(RunLauncher launcher, VmRepository vms, NodeRepository nodes) {
    this.launcher = launcher;
    this.vms = vms;
    this.nodes = nodes;
  }

  /** The answer to a launch: the run to watch. */
  record RunAccepted(String runId, String statusUrl) {}

  /**
   * Validates and starts a ProvisionVm run; answers 202 with the run id at once. 400 names every
   * bad field (an unknown node too); 409 when a VM of that name exists.
   */
  @PostMapping
  ResponseEntity<RunAccepted> provision(@RequestBody(required = false) ProvisionVmRequest request) {
    List<FieldError> errors = ProvisionVmValidator.validate(request);
    if (!errors.isEmpty()) {
      throw new InvalidRequestException(errors);
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
    String runId = launcher.provision(request);
    String statusUrl = "/api/v1/runs/" + runId;
    return ResponseEntity.accepted().location(URI.create(statusUrl)).body(new RunAccepted(runId, statusUrl));
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
