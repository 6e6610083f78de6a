package io.novacron.control.shared;

import io.novacron.control.run.RunRepository;
import io.novacron.workflows.run.RunTracker;
import java.util.Optional;
import java.util.function.Predicate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The {@code Idempotency-Key} replay rule of the launching endpoints (the key's format is
 * {@link IdempotencyKey}'s): the key names the run (see {@code RunLauncher.runId}); a retry of the
 * same request answers with that run and starts nothing; the same key with another request is a 422.
 *
 * <p>Correct with several control-plane replicas and concurrent retries: {@link #launch} claims the
 * run id in {@code launch_keys} in the transaction that checks the order and starts the run. A
 * second claim of the same id, on this replica or another, waits in PostgreSQL for the first
 * transaction and then answers as a replay; it never runs the order's checks against the first
 * launch's own effects (its run busy on the VM, its VM already there), which answered 409 before.
 */
@Component
public class KeyedLaunches {
  private final RunRepository runs;
  private final JdbcClient jdbc;
  private final TransactionTemplate transactions;

  public KeyedLaunches(RunRepository runs, JdbcClient jdbc, TransactionTemplate transactions) {
    this.runs = runs;
    this.jdbc = jdbc;
    this.transactions = transactions;
  }

  /**
   * Launches run {@code runId} once per key: without a key {@code checkAndStart} runs as it is;
   * with one, a first launch claims the key and runs it, a replay of the same {@code request}
   * returns without running it. An exception of {@code checkAndStart} (a refused order) releases
   * the claim, so a retry is checked afresh.
   *
   * @param recordedSameRequest for runs launched before claims were kept, whether the run's recorded
   *     input is what this request asks for (see {@link #alreadyLaunched(String, String, Predicate)})
   * @throws UnprocessableException when the key was used for a different request
   */
  public void launch(String runId, String key, Object request, Predicate<String> recordedSameRequest,
      Runnable checkAndStart) {
    if (key == null) {
      checkAndStart.run();
      return;
    }
    String json = RunTracker.json(request);
    transactions.executeWithoutResult(status -> {
      if (alreadyLaunched(runId, key, recordedSameRequest)) {
        return;
      }
      // Waits for a concurrent claim of the same run id to commit or roll back.
      int claimed = jdbc.sql("insert into launch_keys (run_id, request) values (:id, :request) on conflict do nothing")
          .param("id", runId).param("request", json).update();
      if (claimed == 0) {
        checkSame(runId, key, claimedRequest(runId).orElse(json).equals(json));
        return;
      }
      checkAndStart.run();
    });
  }

  /** As {@link #launch(String, String, Object, Predicate, Runnable)} for a run that records {@code request} as is. */
  public void launch(String runId, String key, Object request, Runnable checkAndStart) {
    String json = RunTracker.json(request);
    launch(runId, key, request, json::equals, checkAndStart);
  }

  /**
   * Whether the keyed run {@code runId} was already launched for this same {@code request}.
   *
   * @throws UnprocessableException when the run exists for a different request
   */
  public boolean alreadyLaunched(String runId, String key, Object request) {
    String json = RunTracker.json(request);
    return alreadyLaunched(runId, key, json::equals);
  }

  /**
   * As {@link #alreadyLaunched(String, String, Object)}, for a request that the run records in
   * another form (a migration records its source node, which the order leaves to the inventory):
   * {@code sameRequest} says whether the recorded input is what this request asks for.
   */
  public boolean alreadyLaunched(String runId, String key, Predicate<String> sameRequest) {
    if (key == null) {
      return false;
    }
    var earlier = runs.findById(runId);
    if (earlier.isEmpty()) {
      return false;
    }
    checkSame(runId, key, sameRequest.test(earlier.get().input()));
    return true;
  }

  private Optional<String> claimedRequest(String runId) {
    return jdbc.sql("select request from launch_keys where run_id = :id").param("id", runId).query(String.class)
        .optional();
  }

  private static void checkSame(String runId, String key, boolean same) {
    if (!same) {
      throw new UnprocessableException("Idempotency-Key '" + key + "' was used for a different request (run "
          + runId + "); use a new key for a new request");
    }
  }
}
