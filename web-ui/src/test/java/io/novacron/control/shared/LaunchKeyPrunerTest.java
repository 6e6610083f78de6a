package io.novacron.control.shared;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.novacron.control.run.RunRepository;
import io.novacron.control.run.RunRow;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** Expired Idempotency-Key claims are deleted, fresh ones kept, by any number of replicas at once. */
class LaunchKeyPrunerTest {
  private static final Instant NOW = Instant.parse("2026-12-07T00:00:00Z");
  private static final Duration WEEK = Duration.ofDays(7);
  private static EmbeddedPostgres postgres;
  /** One instance: a transaction binds its connection to the DataSource object, and {@link #jdbc} joins it. */
  private static DataSource dataSource;
  private static JdbcClient jdbc;

  @BeforeAll
  static void database() throws Exception {
    postgres = EmbeddedPostgres.builder().start();
    Flyway.configure().dataSource(postgres.getPostgresDatabase()).locations("classpath:db/migration").load().migrate();
    dataSource = postgres.getPostgresDatabase();
    jdbc = JdbcClient.create(dataSource);
  }

  @AfterAll
  static void stop() throws Exception {
    postgres.close();
  }

  @BeforeEach
  void empty() {
    jdbc.sql("delete from launch_keys").update();
  }

  @Test
  void an_expired_claim_is_deleted_and_a_fresh_one_kept() {
    claim("provision-old-00000000", NOW.minus(WEEK).minusSeconds(1));
    claim("provision-new-00000000", NOW.minus(WEEK).plusSeconds(1));

    pruner(WEEK).prune();

    assertThat(keys()).containsExactly("provision-new-00000000");
  }

  @Test
  void more_claims_than_a_batch_are_all_deleted() {
    jdbc.sql("insert into launch_keys (run_id, request, created_at) select 'run-' || i, '{}', :at"
        + " from generate_series(1, :n) i").param("at", Timestamp.from(NOW.minus(Duration.ofDays(30))))
        .param("n", LaunchKeyPruner.BATCH * 2 + 5).update();

    assertThat(pruner(WEEK).deleteBefore(NOW.minus(WEEK))).isEqualTo(LaunchKeyPruner.BATCH * 2 + 5);
    assertThat(keys()).isEmpty();
  }

  @Test
  void two_replicas_pruning_at_once_delete_each_claim_once_and_both_finish() throws Exception {
    int n = 5000;
    jdbc.sql("insert into launch_keys (run_id, request, created_at) select 'run-' || i, '{}', :at"
        + " from generate_series(1, :n) i").param("at", Timestamp.from(NOW.minus(Duration.ofDays(30))))
        .param("n", n).update();
    claim("provision-new-00000000", NOW);
    LaunchKeyPruner a = pruner(WEEK);
    LaunchKeyPruner b = new LaunchKeyPruner(JdbcClient.create(postgres.getPostgresDatabase()), clock(), WEEK);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<Integer>> runs = new ArrayList<>();
      for (LaunchKeyPruner p : List.of(a, b)) {
        runs.add(pool.submit((Callable<Integer>) () -> p.deleteBefore(NOW.minus(WEEK))));
      }
      int deleted = 0;
      for (Future<Integer> run : runs) {
        deleted += run.get();
      }
      assertThat(deleted).isEqualTo(n);
    } finally {
      pool.shutdownNow();
    }
    assertThat(keys()).containsExactly("provision-new-00000000");
  }

  @Test
  void a_claim_held_by_a_launch_in_flight_is_skipped_not_waited_for() {
    claim("provision-held-00000000", NOW.minus(Duration.ofDays(8)));
    new TransactionTemplate(new DataSourceTransactionManager(dataSource)).executeWithoutResult(s -> {
      jdbc.sql("select run_id from launch_keys where run_id = 'provision-held-00000000' for update")
          .query(String.class).single();
      // Another DataSource, so another connection, as another replica's would be.
      LaunchKeyPruner other = new LaunchKeyPruner(JdbcClient.create(postgres.getPostgresDatabase()), clock(), WEEK);
      assertThat(other.deleteBefore(NOW.minus(WEEK))).isZero();
    });
    assertThat(keys()).containsExactly("provision-held-00000000");
  }

  @Test
  void a_retry_whose_claim_expired_answers_with_the_recorded_run_and_launches_nothing() {
    RunRepository runs = mock(RunRepository.class);
    String runId = RunLauncher.runId("start", "vm-1", "key-1");
    Map<String, String> request = Map.of("name", "vm-1");
    KeyedLaunches launches = keyedLaunches(runs);
    AtomicInteger started = new AtomicInteger();

    launches.launch(runId, "key-1", request, started::incrementAndGet);
    when(runs.findById(runId)).thenReturn(Optional.of(run(runId, io.novacron.workflows.run.RunTracker.json(request))));
    jdbc.sql("update launch_keys set created_at = :at").param("at", Timestamp.from(NOW.minus(Duration.ofDays(8))))
        .update();
    pruner(WEEK).prune();
    assertThat(keys()).isEmpty();

    launches.launch(runId, "key-1", request, started::incrementAndGet);
    assertThat(started).as("the run id the key names is still in runs: a replay").hasValue(1);
    assertThatThrownBy(() -> launches.launch(runId, "key-1", Map.of("name", "vm-2"), started::incrementAndGet))
        .isInstanceOf(UnprocessableException.class);
  }

  @Test
  void a_retry_whose_claim_expired_and_whose_run_was_never_recorded_is_launched_afresh() {
    RunRepository runs = mock(RunRepository.class);
    String runId = RunLauncher.runId("start", "vm-1", "key-2");
    KeyedLaunches launches = keyedLaunches(runs);
    AtomicInteger started = new AtomicInteger();
    launches.launch(runId, "key-2", Map.of("name", "vm-1"), started::incrementAndGet);
    jdbc.sql("update launch_keys set created_at = :at").param("at", Timestamp.from(NOW.minus(Duration.ofDays(8))))
        .update();
    pruner(WEEK).prune();

    // Another request with the key now passes the claim: nothing remembers the first any more.
    launches.launch(runId, "key-2", Map.of("name", "vm-2"), started::incrementAndGet);
    assertThat(started).hasValue(2);
    assertThat(keys()).containsExactly(runId);
  }

  @Test
  void a_retention_that_is_not_positive_is_refused_naming_the_setting() {
    assertThatThrownBy(() -> pruner(Duration.ZERO)).hasMessageContaining("novacron.launch-keys.retention")
        .hasMessageContaining("NOVACRON_LAUNCH_KEY_RETENTION");
  }

  private static KeyedLaunches keyedLaunches(RunRepository runs) {
    return new KeyedLaunches(runs, jdbc, new TransactionTemplate(new DataSourceTransactionManager(dataSource)));
  }

  private static RunRow run(String id, String input) {
    return new RunRow(id, "VmPower", "vm-1", input, "RUNNING", "start", null, null, NOW, NOW, null);
  }

  private static LaunchKeyPruner pruner(Duration retention) {
    return new LaunchKeyPruner(jdbc, clock(), retention);
  }

  private static Clock clock() {
    return Clock.fixed(NOW, ZoneOffset.UTC);
  }

  private static void claim(String runId, Instant at) {
    jdbc.sql("insert into launch_keys (run_id, request, created_at) values (:id, '{}', :at)").param("id", runId)
        .param("at", Timestamp.from(at)).update();
  }

  private static List<String> keys() {
    return jdbc.sql("select run_id from launch_keys order by run_id").query(String.class).list();
  }
}
