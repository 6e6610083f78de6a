package io.novacron.control.security;

import java.time.Instant;

/** An API token as listed: never the token itself, which exists only in the creator's hands. */
public record ApiToken(
    long id, String name, Role role, Instant createdAt, String createdBy, Instant lastUsedAt, Instant revokedAt) {
  public boolean revoked() {
    return revokedAt != null;
  }
}
