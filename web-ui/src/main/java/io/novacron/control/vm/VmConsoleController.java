package io.novacron.control.vm;

import io.novacron.control.shared.InvalidRequestException;
import io.novacron.workflows.FieldError;
import io.novacron.workflows.console.ConsoleRequest;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * A VM's serial console log, read from its node. Needs the operator role (a guest may print secrets
 * on its console: cloud-init prints the passwords it generates; docs/security.md).
 */
@RestController
@RequestMapping("/api/v1/vms")
class VmConsoleController {
  private final VmConsoles consoles;

  VmConsoleController(VmConsoles consoles) {
    this.consoles = consoles;
  }

  /**
   * Up to {@code max} bytes (1..65536, default 65536) of the log from byte {@code offset} (default
   * 0; negative {@code -n}: the last n bytes). Follow the log by asking again from the answer's
   * {@code nextOffset}; {@code restarted: true} says the log was replaced (the guest started again)
   * and the text starts the new one. A VM whose node has no log for it gets empty text. 400 names a
   * bad offset or max; 404 for a VM the inventory does not know; 409 when the VM has no node, its
   * node's agent is stale, or the agent did not answer.
   */
  @GetMapping("/{name}/console")
  ConsoleText console(@PathVariable String name,
      @RequestParam(name = "offset", required = false) String offset,
      @RequestParam(name = "max", required = false) String max) {
    long from = 0;
    int bytes = ConsoleRequest.MAX_BYTES;
    try {
      from = offset == null ? 0 : Long.parseLong(offset.trim());
    } catch (NumberFormatException e) {
      throw new InvalidRequestException(List.of(new FieldError("offset",
          "must be a whole number of bytes: where to read from, or -n for the last n bytes; was '" + offset + "'")));
    }
    try {
      bytes = max == null ? ConsoleRequest.MAX_BYTES : Integer.parseInt(max.trim());
    } catch (NumberFormatException e) {
      bytes = -1;
    }
    if (bytes < 1 || bytes > ConsoleRequest.MAX_BYTES) {
      throw new InvalidRequestException(List.of(new FieldError("max",
          "must be 1.." + ConsoleRequest.MAX_BYTES + " bytes; was '" + max + "'")));
    }
    return consoles.read(name, from, bytes);
  }
}
