package io.novacron.workflows.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MoveHeadlineTest {
  @Test
  void aMoveSaysWhereTheVmRunsWhatItCostAndWhatTheEngineMoved() {
    assertThat(MoveHeadline.moved("lab-b", 10_577, 62, -1, -1, 16_789_467, 17_104_896, null, "web1"))
        .isEqualTo("exactly one running copy, on lab-b, after 10577 ms, downtime 62 ms, disk pre-copied"
            + " with 16789467 B on the wire for 17104896 B");
    assertThat(MoveHeadline.moved("lab-b", 900, 900, 4_000, 9_000, -1, -1, null, "web1"))
        .isEqualTo("exactly one running copy, on lab-b, after 900 ms, downtime 900 ms, 4000 B on the"
            + " wire for 9000 B");
  }

  @Test
  void unknownTimesAreLeftOutNotPrintedAsMinusOne() {
    // A move settled from libvirt's state after the transfer's report was lost knows no times.
    assertThat(MoveHeadline.moved("lab-a", -1, 33, -1, -1, -1, -1, null, "web1"))
        .isEqualTo("exactly one running copy, on lab-a, downtime 33 ms");
    assertThat(MoveHeadline.moved("lab-a", -1, -1, -1, -1, -1, -1, null, "web1"))
        .isEqualTo("exactly one running copy, on lab-a");
  }

  @Test
  void aLateCancelOrAFailureAfterTheSwitchOverIsSaid() {
    assertThat(MoveHeadline.moved("lab-b", 5, 1, -1, -1, -1, -1, MoveHeadline.TOO_LATE, "web1"))
        .endsWith("; " + MoveHeadline.TOO_LATE);
    assertThat(MoveHeadline.moved("lab-b", 5, 1, -1, -1, -1, -1, "verify: agent gone", "web1"))
        .endsWith("; web1 had switched over before: verify: agent gone");
  }
}
