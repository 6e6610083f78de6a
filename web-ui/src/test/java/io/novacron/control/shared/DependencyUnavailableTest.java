package io.novacron.control.shared;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;

class DependencyUnavailableTest {
  @Test
  void a_lost_or_refused_database_connection_names_postgresql() {
    assertThat(DependencyUnavailable.of(new CannotGetJdbcConnectionException("Connection refused")))
        .contains(DependencyUnavailable.POSTGRESQL);
    assertThat(DependencyUnavailable.of(new DataAccessResourceFailureException("terminating connection")))
        .contains(DependencyUnavailable.POSTGRESQL);
    assertThat(DependencyUnavailable.of(new RuntimeException("wrapped",
        new SQLTransientConnectionException("pool timed out")))).contains(DependencyUnavailable.POSTGRESQL);
  }

  @Test
  void temporal_unavailable_or_past_its_deadline_names_temporal() {
    assertThat(DependencyUnavailable.of(new StatusRuntimeException(Status.UNAVAILABLE)))
        .contains(DependencyUnavailable.TEMPORAL);
    assertThat(DependencyUnavailable.of(new RuntimeException(new StatusRuntimeException(Status.DEADLINE_EXCEEDED))))
        .contains(DependencyUnavailable.TEMPORAL);
    // What the SDK's retryer throws when the deadline passed as it retried (the failover bench saw it).
    assertThat(DependencyUnavailable.of(new IllegalArgumentException("invalid expiration : PT-2.664S")))
        .contains(DependencyUnavailable.TEMPORAL);
  }

  @Test
  void bugs_and_refusals_are_not_outages() {
    assertThat(DependencyUnavailable.of(new DataIntegrityViolationException("duplicate key"))).isEmpty();
    assertThat(DependencyUnavailable.of(new StatusRuntimeException(Status.INVALID_ARGUMENT))).isEmpty();
    assertThat(DependencyUnavailable.of(new IllegalArgumentException("bad name"))).isEmpty();
    assertThat(DependencyUnavailable.of(new NullPointerException())).isEmpty();
  }

  @Test
  void the_problem_is_a_503_naming_the_dependency_and_the_retry() {
    var problem = DependencyUnavailable.problem(DependencyUnavailable.TEMPORAL);
    assertThat(problem.getStatus()).isEqualTo(503);
    assertThat(problem.getDetail()).contains("Temporal").contains("Retry in 5 seconds").contains("Idempotency-Key");
    assertThat(problem.getProperties()).containsEntry("dependency", "Temporal");
  }
}
