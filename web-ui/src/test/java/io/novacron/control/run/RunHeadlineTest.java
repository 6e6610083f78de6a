package io.novacron.control.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunHeadlineTest {
  private static final Instant AT = Instant.parse("2026-12-06T05:00:00Z");

  private static RunRow run(String state, String phase, String detail) {
    return new RunRow("r1", "MigrateVm", "vm1", "{}", state, phase, detail, "n1", AT, AT, null);
  }

  private static RunEventRow event(String phase, String state, String detail) {
    return new RunEventRow(null, "r1", phase, state, detail, AT);
  }

  @Test
  void aFailureSaysItsRealReason() {
    RunRow failed = run("FAILED", "transfer", "unable to connect to lab-b: connection refused");

    assertThat(RunHeadline.of(failed, List.of()))
        .isEqualTo("Failed in phase transfer: unable to connect to lab-b: connection refused");
  }

  @Test
  void aFailureWithoutDetailOnItsRecordTakesTheNewestReasonInItsTimeline() {
    RunRow failed = run("FAILED", "transfer", null);
    List<RunEventRow> timeline = List.of(event("prepare", "RUNNING", "target ready"),
        event("transfer", "RUNNING", "disk copy refused: no space left on device"),
        event("transfer", CancelRequests.STATE, "cancel requested by ops"),
        event("transfer", "FAILED", null));

    assertThat(RunHeadline.of(failed, timeline))
        .isEqualTo("Failed in phase transfer: disk copy refused: no space left on device");
  }

  @Test
  void aFailureWithNoReasonAnywhereSaysSoRatherThanABareFailed() {
    assertThat(RunHeadline.of(run("FAILED", "check", null), List.of()))
        .isEqualTo("Failed in phase check: no reason was recorded");
  }

  @Test
  void anActiveRunAskedToCancelIsCancelling() {
    RunRow running = run("RUNNING", "transfer", null);
    List<RunEventRow> timeline = List.of(event("transfer", CancelRequests.STATE, "cancel requested by ops"));

    assertThat(CancelRequests.cancelling(running, timeline)).isTrue();
    assertThat(RunHeadline.of(running, timeline)).isEqualTo("Cancelling… rolling back in phase transfer");
  }

  @Test
  void anEndedRunIsNoLongerCancellingEvenIfItWasAsked() {
    RunRow cancelled = run("CANCELLED", "rollback", "cancelled");
    List<RunEventRow> timeline = List.of(event("transfer", CancelRequests.STATE, "cancel requested by ops"));

    assertThat(CancelRequests.cancelling(cancelled, timeline)).isFalse();
    assertThat(RunHeadline.of(cancelled, timeline)).isEqualTo("Cancelled in phase rollback: cancelled");
  }
}
