package io.novacron.host.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import io.novacron.host.migrate.DiskOverlay.CommitStep;
import org.junit.jupiter.api.Test;

/** Every point a commit attempt can die at, seen by the attempt that retries it. */
class DiskOverlayStepTest {
  private static final String BASE = "/var/lib/novacron/disks/vm1.qcow2";
  private static final String OVERLAY = "/var/lib/novacron/disks/vm1.precopy.qcow2";

  @Test
  void a_domain_writing_to_the_overlay_is_merged_whatever_its_definition_says() {
    // First attempt, or one that died before its pivot finished.
    assertThat(DiskOverlay.step(true, OVERLAY, OVERLAY, OVERLAY, true)).isEqualTo(CommitStep.MERGE);
    assertThat(DiskOverlay.step(true, OVERLAY, BASE, OVERLAY, true)).isEqualTo(CommitStep.MERGE);
  }

  @Test
  void an_attempt_that_died_between_the_pivot_and_the_delete_leaves_the_retry_a_file_to_delete() {
    assertThat(DiskOverlay.step(true, BASE, BASE, OVERLAY, true)).isEqualTo(CommitStep.DELETE_LEFTOVER);
  }

  @Test
  void an_attempt_that_finished_leaves_nothing_to_do() {
    assertThat(DiskOverlay.step(true, BASE, BASE, OVERLAY, false)).isEqualTo(CommitStep.NONE);
  }

  @Test
  void an_overlay_the_definition_still_names_is_never_deleted() {
    // The guest would read it at its next boot.
    assertThat(DiskOverlay.step(true, BASE, OVERLAY, OVERLAY, true)).isEqualTo(CommitStep.NONE);
  }

  @Test
  void a_domain_that_does_not_run_is_left_as_it_is() {
    assertThat(DiskOverlay.step(false, OVERLAY, OVERLAY, OVERLAY, true)).isEqualTo(CommitStep.NONE);
    assertThat(DiskOverlay.step(false, BASE, BASE, OVERLAY, true)).isEqualTo(CommitStep.NONE);
  }

  @Test
  void a_domain_without_a_file_backed_root_disk_is_left_as_it_is() {
    assertThat(DiskOverlay.step(true, null, null, OVERLAY, false)).isEqualTo(CommitStep.NONE);
    assertThat(DiskOverlay.step(true, null, null, OVERLAY, true)).isEqualTo(CommitStep.NONE);
  }
}
