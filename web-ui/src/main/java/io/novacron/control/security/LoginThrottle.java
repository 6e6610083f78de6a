package io.novacron.control.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts failed logins per username and per client address; after too many within the window
 * the username (or address) is locked out for a while. Kept in memory: the control plane is one
 * process, and a restart that clears the counters is a restart an attacker cannot trigger.
 */
public class LoginThrottle {
  /** Past this many tracked keys, stale ones are dropped, so a spray of names cannot fill memory. */
  static final int PRUNE_ABOVE = 10_000;

  private record Failures(Instant first, int count, Instant lockedUntil) {}

  private final SecuritySettings.Login settings;
  private final Clock clock;
  private final Map<String, Failures> failures = new ConcurrentHashMap<>();

  public LoginThrottle(SecuritySettings.Login settings, Clock clock) {
    this.settings = settings;
    this.clock = clock;
  }

  /** How much longer logins of this username or from this address are refused; empty: not locked. */
  public Optional<Duration> lockedFor(String username, String address) {
    Instant now = clock.instant();
    return java.util.stream.Stream.of(userKey(username), addressKey(address))
        .map(failures::get)
        .filter(f -> f != null && f.lockedUntil() != null && f.lockedUntil().isAfter(now))
        .map(f -> Duration.between(now, f.lockedUntil()))
        .max(Duration::compareTo);
  }

  public void failed(String username, String address) {
    Instant now = clock.instant();
    count(userKey(username), now);
    count(addressKey(address), now);
    if (failures.size() > PRUNE_ABOVE) {
      Instant stale = now.minus(settings.window()).minus(settings.lockout());
      failures.values().removeIf(f -> f.first().isBefore(stale));
    }
  }

  /** A successful login clears its username's failures (not its address's: one good account must not reset a spray). */
  public void succeeded(String username) {
    failures.remove(userKey(username));
  }

  private void count(String key, Instant now) {
    failures.compute(key, (k, f) -> {
      if (f == null || f.first().isBefore(now.minus(settings.window())) && !locked(f, now)) {
        f = new Failures(now, 0, null);
      }
      int count = f.count() + 1;
      return count >= settings.maxFailures()
          ? new Failures(now, 0, now.plus(settings.lockout()))
          : new Failures(f.first(), count, f.lockedUntil());
    });
  }

  private static boolean locked(Failures f, Instant now) {
    return f.lockedUntil() != null && f.lockedUntil().isAfter(now);
  }

  private static String userKey(String username) {
    return "user:" + (username == null ? "" : username.trim().toLowerCase(Locale.ROOT));
  }

  private static String addressKey(String address) {
    return "address:" + (address == null ? "unknown" : address);
  }
}
