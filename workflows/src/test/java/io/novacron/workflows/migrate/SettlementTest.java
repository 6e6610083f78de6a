package io.novacron.workflows.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import io.novacron.workflows.migrate.Verdict.Step;
import org.junit.jupiter.api.Test;

/** The settlement's decisions from both nodes' state: every branch, each with what it must never do. */
class SettlementTest {
  static final String VM = "web1";
  static final String UUID = "6f1c1b8e-0000-4000-8000-000000000001";
  static final VmFiles DISK = new VmFiles(true, false, false, true);

  private static final MoveStage UNTOUCHED = MoveStage.start(MigrationMode.LIVE, UUID);
  private static final MoveStage LIVE_HANDED_OVER = UNTOUCHED.handOver();
  private static final MoveStage COLD_STOPPED = MoveStage.start(MigrationMode.COLD, UUID).stopped();
  private static final MoveStage WARM_RESTORED = MoveStage.start(MigrationMode.WARM, UUID).stopped().handOver();

  @Test
  void a_node_that_does_not_answer_stops_everything_and_names_it() {
    Copies copies = new Copies("lab-a", probe("lab-a", "running", "booted", null, DISK), null,
        "lab-b", null, "agent lab-b did not answer (timed out)");
    Verdict verdict = Settlement.decide(copies, LIVE_HANDED_OVER, true);
    assertThat(verdict.step()).isEqualTo(Step.ATTENTION);
    assertThat(verdict.detail()).startsWith("web1 runs on lab-a; cannot tell where web1 runs")
        .contains("lab-b unknown (agent lab-b did not answer (timed out))")
        .contains("nothing is removed");
  }

  @Test
  void a_migration_libvirt_still_runs_without_its_agent_is_waited_for_not_undone() {
    Copies copies = copies(probe("lab-a", "running", "booted", DomainProbe.MIGRATION_OUT, DISK),
        probe("lab-b", "paused", "migration", DomainProbe.MIGRATION_IN, DISK));
    assertThat(Settlement.decide(copies, LIVE_HANDED_OVER, false).step()).isEqualTo(Step.WAIT);
  }

  @Test
  void a_cancelled_run_asks_for_an_abort_while_it_waits() {
    Copies copies = copies(probe("lab-a", "running", "booted", DomainProbe.MIGRATION_OUT, DISK),
        probe("lab-b", "paused", "migration", DomainProbe.MIGRATION_IN, DISK));
    assertThat(Settlement.decide(copies, LIVE_HANDED_OVER, true).step()).isEqualTo(Step.ABORT_AND_WAIT);
  }

  @Test
  void post_copy_is_never_aborted() {
    Copies copies = copies(probe("lab-a", "paused", "postcopy", DomainProbe.MIGRATION_OUT, DISK),
        probe("lab-b", "running", "postcopy", DomainProbe.MIGRATION_IN, DISK));
    assertThat(Settlement.decide(copies, LIVE_HANDED_OVER, true).step()).isEqualTo(Step.WAIT);
  }

  @Test
  void a_job_on_the_target_alone_is_waited_for_too() {
    Copies copies = copies(probe("lab-a", "running", "booted", null, DISK),
        probe("lab-b", "running", "restored", "restore", DISK));
    assertThat(Settlement.decide(copies, WARM_RESTORED, false).step()).isEqualTo(Step.WAIT);
  }

  @Test
  void a_copy_libvirt_is_still_starting_is_waited_for_not_taken_for_stopped() {
    // The chaos matrix's two-copies case: a cancelled cold move whose target was still starting.
    Copies copies = copies(probe("lab-a", "shutoff", "shutdown", null, DISK),
        probe("lab-b", "paused", "starting-up", null, DISK));
    Verdict verdict = Settlement.decide(copies, COLD_STOPPED.handOver(), true);
    assertThat(verdict.step()).isEqualTo(Step.WAIT);
    assertThat(verdict.detail()).startsWith("libvirt is still starting web1");
    assertThat(Settlement.inMotion(copies.target(), true)).isTrue();
  }

  @Test
  void runs_recorded_before_the_starting_up_rule_decide_as_they_did() {
    Copies copies = copies(probe("lab-a", "shutoff", "shutdown", null, DISK),
        probe("lab-b", "paused", "starting-up", null, DISK));
    assertThat(Settlement.decide(copies, COLD_STOPPED.handOver(), true, false).step())
        .isEqualTo(Step.RECOVER_SOURCE);
    assertThat(Settlement.inMotion(copies.target(), false)).isFalse();
  }

  @Test
  void a_paused_copy_that_is_not_starting_is_not_in_motion() {
    DomainProbe paused = probe("lab-b", "paused", "user", null, DISK);
    assertThat(paused.startingUp()).isFalse();
    assertThat(paused.inTransition()).isFalse();
  }

  @Test
  void two_running_copies_wait_for_an_operator() {
    Copies copies = copies(running("lab-a"), running("lab-b"));
    Verdict verdict = Settlement.decide(copies, LIVE_HANDED_OVER, false);
    assertThat(verdict.step()).isEqualTo(Step.ATTENTION);
    assertThat(verdict.detail()).startsWith("two running copies of web1");
  }

  @Test
  void a_switch_over_that_happened_goes_forward_and_clears_the_source_last() {
    Verdict verdict = Settlement.decide(copies(absent("lab-a", DISK), running("lab-b")), LIVE_HANDED_OVER, true);
    assertThat(verdict.step()).isEqualTo(Step.FORWARD);
    assertThat(verdict.detail()).contains("lab-a still holds disk, console log");
    assertThat(Settlement.decide(copies(absent("lab-a", VmFiles.NONE), running("lab-b")), LIVE_HANDED_OVER, true))
        .isEqualTo(Verdict.of(Step.FORWARD_DONE, "exactly one running copy, on lab-b"));
  }

  @Test
  void a_source_that_runs_keeps_the_vm_and_the_target_is_cleared() {
    Copies leftover = copies(running("lab-a"), probe("lab-b", "paused", "migration", null, DISK));
    assertThat(Settlement.decide(leftover, LIVE_HANDED_OVER, false).step()).isEqualTo(Step.REMOVE_TARGET);
    assertThat(Settlement.decide(copies(running("lab-a"), absent("lab-b", VmFiles.NONE)), LIVE_HANDED_OVER, false))
        .isEqualTo(Verdict.of(Step.BACK_DONE, "exactly one running copy, on lab-a"));
  }

  @Test
  void a_source_paused_by_a_forced_completion_is_resumed_before_the_target_is_touched() {
    Copies copies = copies(probe("lab-a", "paused", "user", null, DISK), absent("lab-b", DISK));
    assertThat(Settlement.decide(copies, LIVE_HANDED_OVER, false).step()).isEqualTo(Step.RECOVER_SOURCE);
  }

  @Test
  void a_cold_source_is_started_again_while_the_targets_copy_is_not_running() {
    Copies copies = copies(probe("lab-a", "shutoff", "shutdown", null, DISK), probe("lab-b", "shutoff", "destroyed", null, DISK));
    assertThat(Settlement.decide(copies, COLD_STOPPED.handOver(), false).step()).isEqualTo(Step.RECOVER_SOURCE);
  }

  @Test
  void a_warm_source_is_restored_rather_than_resuming_the_targets_paused_copy() {
    Copies copies = copies(probe("lab-a", "shutoff", "saved", null, new VmFiles(true, false, true, true)),
        probe("lab-b", "paused", "user", null, DISK));
    assertThat(Settlement.decide(copies, WARM_RESTORED, false).step()).isEqualTo(Step.RECOVER_SOURCE);
  }

  @Test
  void a_guest_that_left_the_source_and_stopped_on_the_target_is_started_there() {
    Copies copies = copies(absent("lab-a", DISK), probe("lab-b", "shutoff", "crashed", null, DISK));
    assertThat(Settlement.decide(copies, LIVE_HANDED_OVER, false).step()).isEqualTo(Step.RECOVER_TARGET);
    // A source domain libvirt shut off after the switch-over is stale: the target's copy comes back.
    Copies migrated = copies(probe("lab-a", "shutoff", "migrated", null, DISK), probe("lab-b", "shutoff", "crashed", null, DISK));
    assertThat(Settlement.decide(migrated, LIVE_HANDED_OVER, false).step()).isEqualTo(Step.RECOVER_TARGET);
  }

  @Test
  void no_copy_anywhere_waits_for_an_operator_with_the_headline() {
    Verdict verdict = Settlement.decide(copies(absent("lab-a", VmFiles.NONE), absent("lab-b", VmFiles.NONE)),
        LIVE_HANDED_OVER, false);
    assertThat(verdict.step()).isEqualTo(Step.ATTENTION);
    assertThat(verdict.detail()).isEqualTo("web1 has no running copy: lab-a absent, lab-b absent");
  }

  @Test
  void a_half_done_post_copy_is_never_repaired_automatically() {
    Copies copies = copies(probe("lab-a", "paused", "postcopy-failed", null, DISK),
        probe("lab-b", "paused", "postcopy-failed", null, DISK));
    Verdict verdict = Settlement.decide(copies, LIVE_HANDED_OVER, false);
    assertThat(verdict.step()).isEqualTo(Step.ATTENTION);
    assertThat(verdict.detail()).contains("neither node holds all of its memory");
  }

  @Test
  void a_guest_this_run_never_stopped_is_left_as_found_after_the_targets_files_go() {
    Copies withFiles = copies(probe("lab-a", "shutoff", "shutdown", null, DISK), absent("lab-b", DISK));
    assertThat(Settlement.decide(withFiles, UNTOUCHED, false).step()).isEqualTo(Step.REMOVE_TARGET);
    Copies clean = copies(probe("lab-a", "shutoff", "shutdown", null, DISK), absent("lab-b", VmFiles.NONE));
    assertThat(Settlement.decide(clean, UNTOUCHED, false).step()).isEqualTo(Step.LEFT_AS_FOUND);
    // ...but never a domain on the target this run did not define.
    Copies stranger = copies(probe("lab-a", "shutoff", "shutdown", null, DISK), probe("lab-b", "paused", "user", null, DISK));
    assertThat(Settlement.decide(stranger, UNTOUCHED, false).step()).isEqualTo(Step.ATTENTION);
  }

  @Test
  void another_vm_of_the_same_name_is_never_touched() {
    DomainProbe other = new DomainProbe("lab-b", VM, "0000-other", "running", "booted", null, DISK);
    Verdict verdict = Settlement.decide(copies(running("lab-a"), other), LIVE_HANDED_OVER, false);
    assertThat(verdict.step()).isEqualTo(Step.BACK_DONE);
    assertThat(verdict.detail()).contains("lab-b has another domain named web1 (UUID 0000-other), left alone");
  }

  private static Copies copies(DomainProbe source, DomainProbe target) {
    return new Copies("lab-a", source, null, "lab-b", target, null);
  }

  private static DomainProbe running(String node) {
    return probe(node, "running", "booted", null, DISK);
  }

  private static DomainProbe absent(String node, VmFiles files) {
    return new DomainProbe(node, VM, null, DomainProbe.ABSENT, "", null, files);
  }

  private static DomainProbe probe(String node, String state, String reason, String job, VmFiles files) {
    return new DomainProbe(node, VM, UUID, state, reason, job, files);
  }
}
