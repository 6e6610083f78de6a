package io.novacron.control.shared;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Deletes {@code launch_keys} claims older than the idempotency window
 * ({@code novacron.launch-keys.retention}, default 7 days; docs/api.md#idempotency-key), which
 * otherwise grow by one row per keyed launch forever.
 *
 * <p>Every replica runs it. Each batch is one statement in its own transaction that deletes rows
 * it locks with {@code SKIP LOCKED}: two replicas pruning at once take different rows and never wait
 * for each other, and a claim held by a launch in flight (a fresh row anyway) is never touched.
 *
 * <p>What a retry with an expired key gets is {@link KeyedLaunches}' rule without the claim: the key
 * still names the same run id, so while the run is in {@code runs} the retry answers with it (or 422
 * for another request); only a key whose run was never recorded is checked and launched afresh, and
 * Temporal then refuses a second workflow of that id while it keeps the first's history.
 */
@Component
public class LaunchKeyPruner {
  private static final Logger log = LoggerFactory.getLogger(LaunchKeyPruner.class);
  static final int BATCH = 1000;

  private final JdbcClient jdbc;
  private final Clock clock;
  private final Duration retention;

  public LaunchKeyPruner(JdbcClient jdbc, Clock clock,
      @Value("${novacron.launch-keys.retention:7d}") Duration retention) {
    if (retention == null || retention.isNegative() || retention.isZero()) {
      throw new IllegalArgumentException("novacron.launch-keys.retention (NOVACRON_LAUNCH_KEY_RETENTION) must be"
          + " positive, such as 7d or 36h; was " + retention);
    }
    this.jdbc = jdbc;
    this.clock = clock;
    this.retention = retention;
  }

  @Scheduled(fixedDelayString = "${novacron.launch-keys.prune-interval-millis:3600000}", initialDelay = 60_000)
  void prune() {
    int deleted = deleteBefore(clock.instant().minus(retention));
    if (deleted > 0) {
      log.info("deleted {} Idempotency-Key claims older than {}", deleted, retention);
    }
  }

  /** Deletes the claims made before {@code cutoff}, {@link #BATCH} at a time; returns how many this call deleted. */
  public int deleteBefore(Instant cutoff) {
    int total = 0;
    int deleted;
    do {
      deleted = deleteBatch(cutoff, BATCH);
      total += deleted;
    } while (deleted == BATCH);
    return total;
  }

  /** One batch: at most {@code limit} claims made before {@code cutoff}, skipping rows another transaction holds. */
  int deleteBatch(Instant cutoff, int limit) {
    return jdbc.sql("""
        delete from launch_keys where run_id in (
            select run_id from launch_keys where created_at < :cutoff
            order by created_at limit :limit for update skip locked)""")
        .param("cutoff", Timestamp.from(cutoff)).param("limit", limit).update();
  }
}
