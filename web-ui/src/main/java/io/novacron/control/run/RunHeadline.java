package io.novacron.control.run;

import java.util.List;

/**
 * The one line atop a run's page that says how the run stands in words: for a failure, the real
 * reason the workflow recorded (its {@code FailureReason}: the node's own message), never a bare
 * "failed".
 */
final class RunHeadline {
  private RunHeadline() {}

  /** The headline of {@code run}, whose timeline (oldest first) is {@code timeline}. */
  static String of(RunRow run, List<RunEventRow> timeline) {
    String reason = reason(run, timeline);
    String phase = run.phase() == null ? "" : " in phase " + run.phase();
    if (CancelRequests.cancelling(run, timeline)) {
      return "Cancelling… rolling back" + phase;
    }
    return switch (run.state() == null ? "" : run.state()) {
      case "FAILED" -> "Failed" + phase + ": " + (reason == null ? "no reason was recorded" : reason);
      case "CANCELLED" -> "Cancelled" + phase + (reason == null ? "" : ": " + reason);
      case "ATTENTION" -> "Waiting for an operator" + (reason == null ? "" : ": " + reason);
      case "SUCCEEDED" -> "Succeeded" + (reason == null ? "" : ": " + reason);
      case "QUEUED" -> "Queued" + (reason == null ? "" : ": " + reason);
      default -> "Running" + phase + (reason == null ? "" : ": " + reason);
    };
  }

  /**
   * The run record's detail, else the newest detail in its timeline (a run that ends without a
   * message of its own keeps the one its failing phase wrote). Cancel requests are not reasons.
   */
  private static String reason(RunRow run, List<RunEventRow> timeline) {
    if (run.detail() != null && !run.detail().isBlank()) {
      return run.detail();
    }
    for (int i = timeline.size() - 1; i >= 0; i--) {
      RunEventRow event = timeline.get(i);
      if (event.detail() != null && !event.detail().isBlank() && !CancelRequests.STATE.equals(event.state())) {
        return event.detail();
      }
    }
    return null;
  }
}
