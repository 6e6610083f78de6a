package io.novacron.control.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * Counts failed logins per username and per client address; after too many within the window
 * the username (or address) is locked out for a while. The counts live in a
 * {@link LoginFailureStore}: PostgreSQL in the product, so that a restart keeps them.
 */
public class LoginThrottle {
  private final SecuritySettings.Login settings;
  private final Clock clock;
  private final LoginFailureStore failures;

  LoginThrottle(SecuritySettings.Login settings, Clock clock, LoginFailureStore failures) {
    this.settings = settings;
    this.clock = clock;
    this.failures = failures;
  }

  /** How much longer logins of this username or from this address are refused; empty: not locked. */
  public Optional<Duration> lockedFor(String username, String address) {
    Instant now = clock.instant();
    return java.util.stream.Stream.of(userKey(username), addressKey(address))
        .flatMap(key -> failures.find(key).stream())
        .filter(f -> f.lockedUntil() != null && f.lockedUntil().isAfter(now))
        .map(f -> Duration.between(now, f.lockedUntil()))
        .max(Duration::compareTo);
  }

  public void failed(String username, String address) {
    Instant now = clock.instant();
    count(userKey(username), now);
    count(addressKey(address), now);
    // Past the window and a lockout a record can neither count nor lock: drop it.
    failures.removeStale(now.minus(settings.window()).minus(settings.lockout()));
  }

  /** A successful login clears its username's failures (not its address's: one good account must not reset a spray). */
  public void succeeded(String username) {
    failures.remove(userKey(username));
  }

  private void count(String key, Instant now) {
    failures.update(key, f -> {
      if (f == null || f.first().isBefore(now.minus(settings.window())) && !locked(f, now)) {
        f = new LoginFailures(now, 0, null);
      }
      int count = f.count() + 1;
      return count >= settings.maxFailures()
          ? new LoginFailures(now, 0, now.plus(settings.lockout()))
          : new LoginFailures(f.first(), count, f.lockedUntil());
    });
  }

  private static boolean locked(LoginFailures f, Instant now) {
    return f.lockedUntil() != null && f.lockedUntil().isAfter(now);
  }

  private static String userKey(String username) {
    return "user:" + (username == null ? "" : username.trim().toLowerCase(Locale.ROOT));
  }

  private static String addressKey(String address) {
    return "address:" + (address == null ? "unknown" : address);
  }
}
