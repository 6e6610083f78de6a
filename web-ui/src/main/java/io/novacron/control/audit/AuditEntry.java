package io.novacron.control.audit;

import java.time.Instant;

/**
 * One audited action.
 *
 * @param action what was attempted: "POST /api/v1/vms", "login", "token.create" ...
 * @param target what it was aimed at (a path, a VM, a username); may be null
 * @param status the HTTP status answered, or null outside HTTP
 * @param detail why it was refused or failed, or what it started (a run's URL); never a secret
 * @param requestId the request's id (X-Request-Id), to find it in logs
 * @param client the client's address, or null
 */
public record AuditEntry(
    Instant at, Actor actor, String action, String target, Outcome outcome, Integer status, String detail,
    String requestId, String client) {}
