package io.novacron.control.shared;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.client.WorkflowServiceException;
import java.net.URI;
import java.sql.SQLTransientException;
import java.util.Optional;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

/**
 * Which dependency a failure says is unreachable (PostgreSQL or Temporal), and the 503 problem the
 * API answers then: while PostgreSQL restarts or Temporal is slow, a request is refused with
 * {@code Retry-After} and nothing changed, instead of a 500 that leaves the caller guessing (seen
 * in the failover bench, docs/bench/failover.md). Pure, for tests.
 */
public final class DependencyUnavailable {
  public static final String POSTGRESQL = "PostgreSQL";
  public static final String TEMPORAL = "Temporal";
  /** Seconds a caller should wait before retrying. */
  public static final int RETRY_AFTER_SECONDS = 5;
  static final URI TYPE = URI.create("https://novacron.io/problems/dependency-unavailable");

  private DependencyUnavailable() {}

  /** The unreachable dependency {@code failure} (or a cause of it) names, if it names one. */
  public static Optional<String> of(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof DataAccessResourceFailureException || t instanceof TransientDataAccessException
          || t instanceof SQLTransientException) {
        return Optional.of(POSTGRESQL);
      }
      if (t instanceof StatusRuntimeException grpc && transientStatus(grpc.getStatus().getCode())) {
        return Optional.of(TEMPORAL);
      }
      if (t instanceof WorkflowServiceException && t.getCause() instanceof StatusRuntimeException grpc
          && transientStatus(grpc.getStatus().getCode())) {
        return Optional.of(TEMPORAL);
      }
      // The SDK's own retryer, when the RPC deadline passed while it was deciding to retry, builds
      // its retry options with a negative expiration and throws this: a timeout in disguise.
      if (t instanceof IllegalArgumentException && t.getMessage() != null
          && t.getMessage().startsWith("invalid expiration")) {
        return Optional.of(TEMPORAL);
      }
    }
    return Optional.empty();
  }

  /** The problem document for {@code dependency} being unreachable. */
  public static ProblemDetail problem(String dependency) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, dependency
        + " is not reachable right now, so nothing was done. Retry in " + RETRY_AFTER_SECONDS
        + " seconds; a launch retried with the same Idempotency-Key starts at most one run.");
    problem.setTitle(dependency + " unavailable");
    problem.setType(TYPE);
    problem.setProperty("dependency", dependency);
    return problem;
  }

  private static boolean transientStatus(Status.Code code) {
    return code == Status.Code.UNAVAILABLE || code == Status.Code.DEADLINE_EXCEEDED
        || code == Status.Code.RESOURCE_EXHAUSTED || code == Status.Code.ABORTED;
  }
}
