package io.novacron.control.security;

import java.time.Instant;

/**
 * One key's failed sign-ins, as {@link LoginThrottle} counts them.
 *
 * @param first start of the counting window, or of the lockout once locked
 * @param count failures since {@code first}
 * @param lockedUntil end of the lockout; null while not locked
 */
record LoginFailures(Instant first, int count, Instant lockedUntil) {}
