package io.novacron.control.audit;

import io.novacron.control.shared.InvalidRequestException;
import io.novacron.control.shared.Paging;
import io.novacron.workflows.FieldError;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.ArrayList;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The audit trail, newest first (operator or admin, by {@code ApiAccessRules}). */
@RestController
@RequestMapping("/api/v1/audit")
class AuditController {
  private final AuditLog audit;

  AuditController(AuditLog audit) {
    this.audit = audit;
  }

  /**
   * One page of the entries that match the filters; the {@code X-Total-Count} header gives the
   * number of all matching entries. One 400 names every bad parameter.
   */
  @GetMapping
  ResponseEntity<List<AuditEvent>> list(
      @Parameter(description = "the actor's name, exactly (a user or token)")
      @RequestParam(required = false) String actor,
      @Parameter(description = "the action's start, e.g. `POST /api/v1/vms` or `token.`")
      @RequestParam(required = false) String action,
      @Parameter(schema = @Schema(type = "string", allowableValues = {"accepted", "refused", "failed"}))
      @RequestParam(required = false) String outcome,
      @Parameter(description = "found anywhere in the target, case-insensitive (a VM's name, a path)")
      @RequestParam(required = false) String target,
      @Parameter(description = "entries at or after this ISO-8601 time, e.g. 2026-12-06T19:00:00Z",
          schema = @Schema(type = "string", format = "date-time"))
      @RequestParam(required = false) String since,
      @Parameter(description = "entries before this ISO-8601 time (after since)",
          schema = @Schema(type = "string", format = "date-time"))
      @RequestParam(required = false) String until,
      @Parameter(schema = @Schema(type = "integer", minimum = "0", defaultValue = "0"))
      @RequestParam(required = false) String page,
      @Parameter(schema = @Schema(type = "integer", minimum = "1", maximum = "200", defaultValue = "50"))
      @RequestParam(required = false) String size) {
    List<FieldError> errors = new ArrayList<>();
    AuditFilter filter = AuditQuery.of(actor, action, outcome, target, since, until, errors);
    Paging paging = Paging.of(page, size, errors);
    if (!errors.isEmpty()) {
      throw new InvalidRequestException(errors);
    }
    return Paging.response(audit.page(filter, paging.size(), paging.offset()), audit.count(filter));
  }
}
