package io.novacron.control.security;

import java.time.Instant;

/** A dashboard user as stored; {@code passwordHash} is bcrypt and never leaves the service layer. */
public record UserAccount(long id, String username, String passwordHash, Role role, Instant createdAt, String createdBy) {}
