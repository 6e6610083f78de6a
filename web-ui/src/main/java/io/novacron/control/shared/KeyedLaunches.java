package io.novacron.control.shared;

import io.novacron.control.run.RunRepository;
import io.novacron.workflows.run.RunTracker;
import org.springframework.stereotype.Component;

/**
 * The {@code Idempotency-Key} replay rule of the launching endpoints (the key's format is
 * {@link IdempotencyKey}'s): the key names the run (see {@code RunLauncher.runId}); a retry of the
 * same request answers with that run and starts nothing; the same key with another request is a 422.
 */
@Component
public class KeyedLaunches {
  private final RunRepository runs;

  public KeyedLaunches(RunRepository runs) {
    this.runs = runs;
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
  public boolean alreadyLaunched(String runId, String key, java.util.function.Predicate<String> sameRequest) {
    if (key == null) {
      return false;
    }
    var earlier = runs.findById(runId);
    if (earlier.isEmpty()) {
      return false;
    }
    if (!sameRequest.test(earlier.get().input())) {
      throw new UnprocessableException("Idempotency-Key '" + key + "' was used for a different request (run "
          + runId + "); use a new key for a new request");
    }
    return true;
  }
}
