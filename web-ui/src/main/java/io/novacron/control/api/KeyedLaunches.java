package io.novacron.control.api;

import io.novacron.control.run.RunRepository;
import io.novacron.workflows.run.RunTracker;
import org.springframework.stereotype.Component;

/**
 * The {@code Idempotency-Key} replay rule of the launching endpoints (the key's format is
 * {@link IdempotencyKey}'s): the key names the run (see {@code RunLauncher.runId}); a retry of the
 * same request answers with that run and starts nothing; the same key with another request is a 422.
 */
@Component
class KeyedLaunches {
  private final RunRepository runs;

  KeyedLaunches(RunRepository runs) {
    this.runs = runs;
  }

  /**
   * Whether the keyed run {@code runId} was already launched for this same {@code request}.
   *
   * @throws UnprocessableException when the run exists for a different request
   */
  boolean alreadyLaunched(String runId, String key, Object request) {
    if (key == null) {
      return false;
    }
    var earlier = runs.findById(runId);
    if (earlier.isEmpty()) {
      return false;
    }
    if (!RunTracker.json(request).equals(earlier.get().input())) {
      throw new UnprocessableException("Idempotency-Key '" + key + "' was used for a different request (run "
          + runId + "); use a new key for a new request");
    }
    return true;
  }
}
