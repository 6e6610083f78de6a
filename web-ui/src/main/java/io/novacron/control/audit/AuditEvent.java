package io.novacron.control.audit;

import java.time.Instant;

/** An audit row as read back (and served by GET /api/v1/audit). */
public record AuditEvent(
    long id, Instant at, String actorKind, String actor, String action, String target, String outcome,
    Integer status, String detail, String requestId, String client) {}
