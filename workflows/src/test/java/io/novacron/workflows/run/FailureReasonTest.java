package io.novacron.workflows.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.novacron.workflows.FailureTypes;
import io.temporal.api.enums.v1.RetryState;
import io.temporal.api.enums.v1.TimeoutType;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.TimeoutFailure;
import org.junit.jupiter.api.Test;

/** The detail a failed run's record shows: {@link FailureReason#of(Throwable)}. */
class FailureReasonTest {

  private static ActivityFailure activityFailure(String type, Throwable cause) {
    return new ActivityFailure("Activity task failed", 5, 6, type, "1",
        RetryState.RETRY_STATE_NON_RETRYABLE_FAILURE, "worker@node-a", cause);
  }

  @Test
  void innermostApplicationFailureMessageIsTheReason() {
    ApplicationFailure onNode =
        ApplicationFailure.newNonRetryableFailure("no image 'tiny' on node-a", FailureTypes.IMAGE_NOT_FOUND);
    assertThat(FailureReason.of(activityFailure("Host.CreateDisk", onNode)))
        .isEqualTo("no image 'tiny' on node-a");
  }

  @Test
  void applicationFailureWrappingAnExceptionUsesTheExceptionMessage() {
    ApplicationFailure wrapped = ApplicationFailure.newFailureWithCause(
        "createDisk failed", "java.io.IOException", new java.io.IOException("pool is full"));
    assertThat(FailureReason.of(activityFailure("Host.CreateDisk", wrapped)))
        .isEqualTo("pool is full");
  }

  @Test
  void plainExceptionUsesItsMessage() {
    assertThat(FailureReason.of(new IllegalStateException("outer",
        new IllegalArgumentException("inner")))).isEqualTo("inner");
  }

  @Test
  void timeoutsAndCancellationsHaveAReadableReason() {
    TimeoutFailure timeout = new TimeoutFailure("", null, TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_START);
    assertThat(FailureReason.of(activityFailure("Host.CreateDisk", timeout)))
        .isEqualTo("timed out (schedule-to-start) in Host.CreateDisk");
    assertThat(FailureReason.of(activityFailure("Host.VerifyRunning", new CanceledFailure(""))))
        .isEqualTo("cancelled");
  }
}
