package io.novacron.control.audit;

import io.novacron.control.shared.Paging;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;

import io.novacron.control.audit.AuditEvent;
import io.novacron.control.audit.AuditLog;
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
   * One page of entries; the {@code X-Total-Count} header gives the number of all entries. 400 names
   * a bad {@code page} or {@code size}.
   */
  @GetMapping
  ResponseEntity<List<AuditEvent>> list(
      @Parameter(schema = @Schema(type = "integer", minimum = "0", defaultValue = "0"))
      @RequestParam(required = false) String page,
      @Parameter(schema = @Schema(type = "integer", minimum = "1", maximum = "200", defaultValue = "50"))
      @RequestParam(required = false) String size) {
    Paging paging = Paging.of(page, size);
    return Paging.response(audit.page(paging.size(), paging.offset()), audit.count());
  }
}
