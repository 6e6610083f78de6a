package io.novacron.control.vm;

import io.novacron.control.shared.NotFoundException;

import io.novacron.control.shared.ConflictException;

import io.novacron.control.shared.InvalidRequestException;

import io.novacron.control.shared.IdempotencyKey;

import io.novacron.control.shared.RunAccepted;

import io.novacron.control.shared.KeyedLaunches;
import io.novacron.control.shared.Paging;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;

import io.novacron.control.inventory.NodeRepository;
import io.novacron.control.inventory.VmRepository;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.novacron.control.inventory.DownNodes;
import io.novacron.control.inventory.VmRow;
import io.novacron.control.inventory.VmListReader;
import java.util.Set;
import io.novacron.control.vm.PowerOrders;
import io.novacron.control.shared.RunLauncher;
import io.novacron.workflows.delete.DeleteVmRequest;
import io.novacron.workflows.power.PowerAction;
import io.novacron.workflows.power.VmPowerRequest;
import io.novacron.workflows.FieldError;
import io.novacron.workflows.provision.ProvisionVmRequest;
import io.novacron.workflows.provision.ProvisionVmValidator;
import io.novacron.workflows.resize.ResizeVmRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
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

/**
 * VMs: provision, start, stop, reboot, resize and delete (each a run), label, and read the
 * inventory.
 */
@RestController
@RequestMapping("/api/v1/vms")
class VmController {
  private final RunLauncher launcher;
  private final VmRepository vms;
  private final NodeRepository nodes;
  private final KeyedLaunches keys;
  private final PowerOrders powerOrders;
  private final ResizeOrders resizeOrders;
  private final VmLabels labels;

  private final DownNodes downNodes;
  private final VmListReader list;

  VmController(RunLauncher launcher, VmRepository vms, NodeRepository nodes, KeyedLaunches keys,
      PowerOrders powerOrders, ResizeOrders resizeOrders, VmLabels labels, DownNodes downNodes, VmListReader list) {
    this.labels = labels;
    this.list = list;
    this.downNodes = downNodes;
    this.launcher = launcher;
    this.vms = vms;
    this.nodes = nodes;
    this.keys = keys;
    this.powerOrders = powerOrders;
    this.resizeOrders = resizeOrders;
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
    keys.launch(runId, idempotencyKey, request, () -> {
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
    });
    return accepted(runId);
  }

  /**
   * Starts the VM's guest (a VmPower run: start, verify that it runs, record); 202 with the run.
   * 404 for a VM the inventory does not know; 409 while another run (provision, migration, power
   * action) is changing it or waits about it, and for a missing VM (no node announces its domain).
   * Starting a running VM is a run that finds it running.
   */
  @PostMapping("/{name}/start")
  ResponseEntity<RunAccepted> start(@PathVariable String name,
      @RequestHeader(name = IdempotencyKey.HEADER, required = false) String idempotencyKey) {
    return power(new VmPowerRequest(name, PowerAction.START, null), idempotencyKey);
  }

  /**
   * Stops the VM's guest (a VmPower run): asks it to shut down, waits up to {@code graceSeconds}
   * (optional body; default 60), then powers it off; the domain stays defined. Answers as
   * {@link #start} does; 400 names a bad {@code graceSeconds}.
   */
  @PostMapping("/{name}/stop")
  ResponseEntity<RunAccepted> stop(@PathVariable String name,
      @RequestBody(required = false) StopOptions options,
      @RequestHeader(name = IdempotencyKey.HEADER, required = false) String idempotencyKey) {
    return power(new VmPowerRequest(name, PowerAction.STOP, options == null ? null : options.graceSeconds()),
        idempotencyKey);
  }

  /**
   * Reboots the VM's guest (a VmPower run): a stop as {@link #stop} does it, then a start and its
   * verification. Answers as {@link #stop} does.
   */
  @PostMapping("/{name}/reboot")
  ResponseEntity<RunAccepted> reboot(@PathVariable String name,
      @RequestBody(required = false) StopOptions options,
      @RequestHeader(name = IdempotencyKey.HEADER, required = false) String idempotencyKey) {
    return power(new VmPowerRequest(name, PowerAction.REBOOT, options == null ? null : options.graceSeconds()),
        idempotencyKey);
  }

  /**
   * Deletes the VM (a DeleteVm run): powers it off, undefines its domain, removes its disk, seed
   * and console log, drops its record and frees its capacity; 202 with the run. 404 for a VM the
   * inventory does not know (so a repeated delete of a deleted VM is a 404, and changes nothing);
   * 409 while another run changes it. A missing VM may be deleted. With an {@code Idempotency-Key}
   * a retry answers with the same run.
   */
  @DeleteMapping("/{name}")
  ResponseEntity<RunAccepted> delete(@PathVariable String name,
      @RequestHeader(name = IdempotencyKey.HEADER, required = false) String idempotencyKey) {
    IdempotencyKey.check(idempotencyKey).ifPresent(error -> {
      throw new InvalidRequestException(List.of(error));
    });
    DeleteVmRequest request = new DeleteVmRequest(name);
    String runId = RunLauncher.deleteRunId(name, idempotencyKey);
    keys.launch(runId, idempotencyKey, request, () -> {
      powerOrders.checkDelete(request).orThrow();
      launcher.delete(runId, request);
    });
    return accepted(runId);
  }

  private ResponseEntity<RunAccepted> power(VmPowerRequest request, String idempotencyKey) {
    IdempotencyKey.check(idempotencyKey).ifPresent(error -> {
      throw new InvalidRequestException(List.of(error));
    });
    String runId = RunLauncher.powerRunId(request.vmName(), idempotencyKey);
    // Before the busy check: a retry arrives while its own run still runs.
    keys.launch(runId, idempotencyKey, request, () -> {
      powerOrders.check(request).orThrow();
      launcher.power(runId, request);
    });
    return accepted(runId);
  }

  private static ResponseEntity<RunAccepted> accepted(String runId) {
    return RunAccepted.response(runId);
  }

  /**
   * The inventory by name, one page as a plain JSON array with the total in {@code X-Total-Count};
   * with {@code ?label=k=v} (repeatable, all must match) only the VMs with those labels. 400 names a
   * bad {@code label} term, {@code page} or {@code size}.
   */
  @GetMapping
  ResponseEntity<List<VmReply>> list(@RequestParam(name = "label", required = false) List<String> label,
      @Parameter(schema = @Schema(type = "integer", minimum = "0", defaultValue = "0"))
      @RequestParam(required = false) String page,
      @Parameter(schema = @Schema(type = "integer", minimum = "1", maximum = "200", defaultValue = "50"))
      @RequestParam(required = false) String size) {
    List<FieldError> errors = new ArrayList<>();
    Paging paging = Paging.of(page, size, errors);
    String selector = null;
    try {
      selector = label == null || label.isEmpty() ? null : labels.selector(label);
    } catch (InvalidRequestException badLabel) {
      errors.addAll(badLabel.errors());
    }
    if (!errors.isEmpty()) {
      throw new InvalidRequestException(errors);
    }
    Set<String> down = downNodes.now();
    List<VmRow> found = selector == null ? list.page(paging.size(), paging.offset())
        : vms.findByLabelsContaining(selector, paging.size(), paging.offset());
    long total = selector == null ? vms.count() : vms.countByLabelsContaining(selector);
    return Paging.response(found.stream().map(vm -> VmReply.of(vm, down)).toList(), total);
  }

  /** One VM. 404 for a VM the inventory does not know. */

  @GetMapping("/{name}")
  VmReply get(@PathVariable String name) {
    return VmReply.of(vms.findById(name).orElseThrow(() -> new NotFoundException("no VM named '" + name + "'")),
        downNodes.now());
  }

  /**
   * A VM as the API shows it, flat in JSON. On a down node ({@code nodeDown}) its {@code state} is
   * {@code unknown} and {@code lastKnownState} is what its node last reported.
   */
  record VmReply(@JsonUnwrapped VmRow vm, boolean nodeDown, String lastKnownState) {
    static VmReply of(VmRow vm, Set<String> down) {
      VmRow seen = DownNodes.asSeen(vm, down);
      return new VmReply(seen, seen != vm, vm.state());
    }
  }

  /**
   * Resizes the VM (a ResizeVm run): new vCPUs and memory, a larger disk, each optional (at least
   * one); 202 with the run. Everything changes only while the VM is stopped (409 "stop it first"
   * otherwise); the disk only grows (400 naming diskGib and its size); 409 while another run changes
   * the VM or when its node lacks the growth (the message says what is free); 404 for an unknown
   * VM. With an {@code Idempotency-Key} a retry answers with the same run.
   */
  @PostMapping("/{name}/resize")
  ResponseEntity<RunAccepted> resize(@PathVariable String name,
      @RequestBody(required = false) ResizeOptions options,
      @RequestHeader(name = IdempotencyKey.HEADER, required = false) String idempotencyKey) {
    IdempotencyKey.check(idempotencyKey).ifPresent(error -> {
      throw new InvalidRequestException(List.of(error));
    });
    ResizeVmRequest request = options == null ? new ResizeVmRequest(name, null, null, null)
        : new ResizeVmRequest(name, options.vcpus(), options.memoryMib(), options.diskGib());
    String runId = RunLauncher.resizeRunId(name, idempotencyKey);
    keys.launch(runId, idempotencyKey, request, () -> {
      resizeOrders.check(request).orThrow();
      launcher.resize(runId, request);
    });
    return accepted(runId);
  }

  /**
   * Replaces all of the VM's labels with the body's JSON object ({@code {}} removes all); 200 with
   * the VM. Labels are the inventory's: no run starts. 400 names each bad label and the rule; 404
   * for an unknown VM.
   */
  @PutMapping("/{name}/labels")
  VmReply replaceLabels(@PathVariable String name, @RequestBody(required = false) Map<String, String> body) {
    labels.replace(name, body);
    return get(name);
  }

  /**
   * Merges the body's JSON object into the VM's labels (JSON merge patch: a null value removes the
   * label); 200 with the VM. Answers as {@link #replaceLabels} does, and 400 past 32 labels.
   */
  @PatchMapping("/{name}/labels")
  VmReply mergeLabels(@PathVariable String name, @RequestBody(required = false) Map<String, String> body) {
    labels.merge(name, body);
    return get(name);
  }
}
