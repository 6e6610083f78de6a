package io.novacron.control.vm;

import io.novacron.control.shared.InvalidRequestException;
import io.novacron.workflows.FieldError;
import io.novacron.workflows.console.ConsoleRequest;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * A VM's serial console log, read from its node. Needs the operator role (a guest may print secrets
 * on its console: cloud-init prints the passwords it generates; docs/security.md).
 */
@RestController
@RequestMapping("/api/v1/vms")
class VmConsoleController {
  private final VmConsoles consoles;
  private final ConsoleStreams streams;

  VmConsoleController(VmConsoles consoles, ConsoleStreams streams) {
    this.consoles = consoles;
    this.streams = streams;
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
    long from = offset(offset);
    int bytes;
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

  /**
   * The log as server-sent events ({@code text/event-stream}), from {@code offset} as
   * {@link #console} reads it (or from a reconnecting client's {@code Last-Event-ID}): a
   * {@code console} event per new slice (its data the JSON {@link #console} answers, its id the
   * offset to go on from), about a second apart once caught up; {@code unavailable} while the node
   * cannot be read (the stream keeps trying); {@code gone} when the VM left the inventory. The
   * stream ends after 30 minutes; an {@code EventSource} reconnects where it was. Answers 404 and
   * 409 as {@link #console} does, before the stream starts.
   */
  @GetMapping(path = "/{name}/console/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
  SseEmitter stream(@PathVariable String name,
      @RequestParam(name = "offset", required = false) String offset,
      @RequestHeader(name = "Last-Event-ID", required = false) String lastEventId) {
    return streams.open(name, offset(lastEventId != null && !lastEventId.isBlank() ? lastEventId : offset));
  }

  /** A byte offset (negative: a tail); 0 when absent. */
  private static long offset(String offset) {
    try {
      return offset == null ? 0 : Long.parseLong(offset.trim());
    } catch (NumberFormatException e) {
      throw new InvalidRequestException(List.of(new FieldError("offset",
          "must be a whole number of bytes: where to read from, or -n for the last n bytes; was '" + offset + "'")));
    }
  }
}
