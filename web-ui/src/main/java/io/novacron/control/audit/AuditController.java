package io.novacron.control.audit;

import io.novacron.control.shared.InvalidRequestException;

import io.novacron.control.audit.AuditEvent;
import io.novacron.control.audit.AuditLog;
import io.novacron.workflows.FieldError;
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
  static final int MAX_PAGE_SIZE = 200;

  private final AuditLog audit;

  AuditController(AuditLog audit) {
    this.audit = audit;
  }

  /** One page of entries; the {@code X-Total-Count} header gives the number of all entries. */
  @GetMapping
  ResponseEntity<List<AuditEvent>> list(
      @RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "50") int size) {
    if (page < 0) {
      throw new InvalidRequestException(List.of(new FieldError("page", "must be 0 or more, was " + page)));
    }
    if (size < 1 || size > MAX_PAGE_SIZE) {
      throw new InvalidRequestException(List.of(new FieldError("size", "must be between 1 and " + MAX_PAGE_SIZE + ", was " + size)));
    }
    return ResponseEntity.ok()
        .header("X-Total-Count", Long.toString(audit.count()))
        .body(audit.page(size, (long) page * size));
  }
}
