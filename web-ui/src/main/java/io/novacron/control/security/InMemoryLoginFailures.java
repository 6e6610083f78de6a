package io.novacron.control.security;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/** Counts in this process's memory: for unit tests of the throttle's rules. */
final class InMemoryLoginFailures implements LoginFailureStore {
  /** Past this many keys stale ones are dropped, so a spray of names cannot fill memory. */
  static final int PRUNE_ABOVE = 10_000;

  private final Map<String, LoginFailures> failures = new ConcurrentHashMap<>();

  @Override
  public Optional<LoginFailures> find(String key) {
    return Optional.ofNullable(failures.get(key));
  }

  @Override
  public void update(String key, UnaryOperator<LoginFailures> change) {
    failures.compute(key, (k, current) -> change.apply(current));
  }

  @Override
  public void remove(String key) {
    failures.remove(key);
  }

  @Override
  public void removeStale(Instant firstBefore) {
    if (failures.size() > PRUNE_ABOVE) {
      failures.values().removeIf(f -> f.first().isBefore(firstBefore));
    }
  }
}
