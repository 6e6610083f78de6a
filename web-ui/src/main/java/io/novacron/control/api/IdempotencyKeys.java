package io.novacron.control.api;

import io.novacron.control.run.RunRepository;
import io.novacron.workflows.provision.FieldError;
import io.novacron.workflows.run.RunTracker;
import java.util.List;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * The {@code Idempotency-Key} contract every launching endpoint shares: the key names the run (see
 * {@code RunLauncher.runId}); a retry of the same request answers with that run and starts nothing;
 * the same key with another request is a 422.
 */
@Component
class IdempotencyKeys {
  /** Printable ASCII without spaces, as clients generate them (UUIDs, ULIDs, hashes). */
  private static final Pattern KEY = Pattern.compile("[!-~]{1,200}");

  private final RunRepository runs;

  IdempotencyKeys(RunRepository runs) {
    this.runs = runs;
  }

  /** Adds the error of a malformed key; an absent key is fine. */
  static void check(String key, List<FieldError> errors) {
    if (key != null && !KEY.matcher(key).matches()) {
      errors.add(new FieldError("Idempotency-Key", "must be 1-200 printable ASCII characters without spaces"));
    }
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
