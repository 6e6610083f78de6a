package io.novacron.workflows.run;

import io.temporal.failure.ActivityFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.failure.TimeoutFailure;

/** The one-line reason a failed or rolled-back run's record shows. */
public final class FailureReason {
  private FailureReason() {}

  /** The innermost message: the one that says what went wrong on the node. */
  public static String of(Throwable failure) {
    Throwable cause = failure;
    while (cause.getCause() != null) {
      cause = cause.getCause();
    }
    String message = cause instanceof TemporalFailure temporal ? temporal.getOriginalMessage() : cause.getMessage();
    if (message != null && !message.isBlank()) {
      return message;
    }
    // Timeouts and cancellations carry no message of their own: say what happened.
    if (cause instanceof TimeoutFailure timeout) {
      return "timed out (" + timeout.getTimeoutType().name().replace("TIMEOUT_TYPE_", "").toLowerCase()
          .replace('_', '-') + ")" + where(failure);
    }
    if (cause instanceof CanceledFailure) {
      return "cancelled";
    }
    return cause.getClass().getSimpleName();
  }

  /** The activity that failed, where the failure names one. */
  private static String where(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof ActivityFailure activity) {
        return " in " + activity.getActivityType();
      }
    }
    return "";
  }
}
