package io.novacron.control.security;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Counts in PostgreSQL ({@code login_failures}), so that a restart of the control plane neither
 * clears a lockout nor hands an attacker a fresh set of attempts.
 */
@Component
class JdbcLoginFailures implements LoginFailureStore {
  private final JdbcClient jdbc;

  JdbcLoginFailures(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public Optional<LoginFailures> find(String key) {
    return jdbc.sql("select first_at, failures, locked_until from login_failures where key = :key")
        .param("key", key)
        .query((rs, i) -> new LoginFailures(rs.getTimestamp(1).toInstant(), rs.getInt(2),
            rs.getTimestamp(3) == null ? null : rs.getTimestamp(3).toInstant()))
        .optional();
  }

  /**
   * A transaction-scoped advisory lock on the key serialises updates of one key, the absent row's
   * first insert included (a row lock cannot, as there is no row yet).
   */
  @Override
  @Transactional
  public void update(String key, UnaryOperator<LoginFailures> change) {
    jdbc.sql("select pg_advisory_xact_lock(hashtext('login_failures'), hashtext(:key))").param("key", key)
        .query((rs, i) -> 1).list();
    LoginFailures next = change.apply(find(key).orElse(null));
    if (next == null) {
      remove(key);
      return;
    }
    jdbc.sql("""
        insert into login_failures (key, first_at, failures, locked_until)
        values (:key, :first, :failures, :lockedUntil)
        on conflict (key) do update set first_at = excluded.first_at, failures = excluded.failures,
            locked_until = excluded.locked_until""")
        .param("key", key)
        .param("first", Timestamp.from(next.first()))
        .param("failures", next.count())
        .param("lockedUntil", next.lockedUntil() == null ? null : Timestamp.from(next.lockedUntil()))
        .update();
  }

  @Override
  public void remove(String key) {
    jdbc.sql("delete from login_failures where key = :key").param("key", key).update();
  }

  @Override
  public void removeStale(Instant firstBefore) {
    jdbc.sql("delete from login_failures where first_at < :before").param("before", Timestamp.from(firstBefore))
        .update();
  }
}
