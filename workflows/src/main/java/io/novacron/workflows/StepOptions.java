package io.novacron.workflows;

import io.temporal.common.RetryOptions;
import java.time.Duration;

/** Activity settings every NovaCron workflow shares for its steps. */
public final class StepOptions {
  /** A dead or absent node must fail the step fast instead of leaving the run waiting on its queue. */
  public static final Duration HOST_SCHEDULE_TO_START = Duration.ofSeconds(30);

  /** Transient failures are retried a few times, quickly; non-retryable ones end the step at once. */
  public static final RetryOptions RETRY =
      RetryOptions.newBuilder()
          .setInitialInterval(Duration.ofSeconds(1))
          .setMaximumInterval(Duration.ofSeconds(10))
          .setMaximumAttempts(5)
          .build();

  private StepOptions() {}
}
