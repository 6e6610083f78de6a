package io.novacron.control.security;

import java.time.Instant;
import java.util.Optional;
import java.util.function.UnaryOperator;

/** Where {@link LoginThrottle} keeps its counts, per key ({@code user:<name>}, {@code address:<ip>}). */
interface LoginFailureStore {
  Optional<LoginFailures> find(String key);

  /**
   * Replaces the key's record by {@code change} applied to it ({@code null} when there is none),
   * atomically: concurrent updates of one key never lose a count.
   */
  void update(String key, UnaryOperator<LoginFailures> change);

  void remove(String key);

  /** Drops records whose window started before {@code firstBefore}: they can no longer count. */
  void removeStale(Instant firstBefore);
}
