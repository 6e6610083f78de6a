package io.novacron.workflows.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import io.novacron.workflows.DataConversion;
import io.novacron.workflows.migrate.MigrationPolicy.Decision;
import io.novacron.workflows.migrate.MigrationPolicy.StallDetector;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class MigrationPolicyTest {
  private static final long GIB = 1024L * 1024 * 1024;

  @Test
  void timeout_scales_with_the_data_to_copy() {
    assertThat(MigrationPolicy.completionTimeout(4 * GIB, 800)).isEqualTo(Duration.ofSeconds(3200));
    assertThat(MigrationPolicy.completionTimeout(GIB + GIB / 2, 100)).isEqualTo(Duration.ofSeconds(150));
  }

  @Test
  void a_small_guest_still_gets_the_minimum_timeout() {
    assertThat(MigrationPolicy.completionTimeout(128L * 1024 * 1024, 10))
        .isEqualTo(MigrationPolicy.MIN_COMPLETION_TIMEOUT);
    assertThat(MigrationPolicy.completionTimeout(0, 800)).isEqualTo(MigrationPolicy.MIN_COMPLETION_TIMEOUT);
  }

  @Test
  void within_the_timeout_and_progressing_it_continues() {
    assertThat(MigrationPolicy.decide(Duration.ofSeconds(10), Duration.ofSeconds(60), false, false, false,
        TimeoutAction.ABORT)).isEqualTo(Decision.CONTINUE);
  }

  @Test
  void past_the_timeout_it_applies_the_configured_action() {
    Duration elapsed = Duration.ofSeconds(61);
    Duration timeout = Duration.ofSeconds(60);
    assertThat(MigrationPolicy.decide(elapsed, timeout, false, false, false, TimeoutAction.ABORT))
        .isEqualTo(Decision.ABORT);
    assertThat(MigrationPolicy.decide(elapsed, timeout, false, false, false, TimeoutAction.FORCE_COMPLETE))
        .isEqualTo(Decision.FORCE_COMPLETE);
  }

  @Test
  void a_stall_counts_like_a_timeout() {
    assertThat(MigrationPolicy.decide(Duration.ofSeconds(5), Duration.ofSeconds(60), true, false, false,
        TimeoutAction.ABORT)).isEqualTo(Decision.ABORT);
  }

  @Test
  void a_request_forces_completion_once() {
    assertThat(MigrationPolicy.decide(Duration.ofSeconds(5), Duration.ofSeconds(60), false, true, false,
        TimeoutAction.ABORT)).isEqualTo(Decision.FORCE_COMPLETE);
    assertThat(MigrationPolicy.decide(Duration.ofSeconds(5), Duration.ofSeconds(60), false, true, true,
        TimeoutAction.ABORT)).isEqualTo(Decision.CONTINUE);
  }

  @Test
  void a_forced_migration_that_still_does_not_finish_is_aborted_after_twice_the_timeout() {
    assertThat(MigrationPolicy.decide(Duration.ofSeconds(100), Duration.ofSeconds(60), true, false, true,
        TimeoutAction.FORCE_COMPLETE)).isEqualTo(Decision.CONTINUE);
    assertThat(MigrationPolicy.decide(Duration.ofSeconds(121), Duration.ofSeconds(60), true, false, true,
        TimeoutAction.FORCE_COMPLETE)).isEqualTo(Decision.ABORT);
  }

  @Test
  void converging_migration_never_stalls() {
    StallDetector stall = new StallDetector(3);
    for (int i = 1; i <= 20; i++) {
      assertThat(stall.observe(i, 1000 - i * 10)).isFalse();
    }
  }

  @Test
  void iterations_without_a_new_low_stall() {
    StallDetector stall = new StallDetector(3);
    assertThat(stall.observe(1, 500)).isFalse();
    assertThat(stall.observe(2, 400)).isFalse();
    assertThat(stall.observe(3, 450)).isFalse();
    assertThat(stall.observe(4, 420)).isFalse();
    assertThat(stall.observe(5, 410)).isTrue();
  }

  @Test
  void samples_within_one_iteration_do_not_count_as_a_stall() {
    StallDetector stall = new StallDetector(2);
    assertThat(stall.observe(1, 500)).isFalse();
    for (int i = 0; i < 10; i++) {
      assertThat(stall.observe(1, 600)).isFalse();
    }
  }

  @Test
  void a_negative_limit_turns_stall_detection_off() {
    StallDetector stall = new StallDetector(-1);
    stall.observe(1, 100);
    assertThat(stall.observe(1000, 900)).isFalse();
  }

  @Test
  void unset_options_resolve_to_defaults() {
    MigrationOptions o = MigrationOptions.defaults().resolved();
    assertThat(o.compression()).isEqualTo(Compression.NONE);
    assertThat(o.onTimeout()).isEqualTo(TimeoutAction.ABORT);
    assertThat(o.parallelConnections()).isEqualTo(1);
    assertThat(o.completionTimeoutSecondsPerGiB()).isEqualTo(MigrationPolicy.DEFAULT_SECONDS_PER_GIB);
    assertThat(o.stallIterations()).isEqualTo(MigrationPolicy.DEFAULT_STALL_ITERATIONS);
    assertThat(o.autoConverge()).isFalse();
    assertThat(o.precopyDisk()).isTrue();
    assertThat(o.downtimeSteps()).isEqualTo(1);
    assertThat(o.downtimeDelaySecondsPerGiB()).isEqualTo(MigrationPolicy.DEFAULT_DOWNTIME_DELAY_SECONDS_PER_GIB);
  }

  @Test
  void a_wither_sets_its_field_only_and_the_json_keeps_the_record_shape() {
    MigrationOptions o = MigrationOptions.defaults().withPostCopy(true).withDowntimeSteps(4);
    assertThat(o).isEqualTo(new MigrationOptions(null, null, null, null, true, null, null, null, null,
        null, null, null, 4, null));
    // Workflows started by older clients and the JSON of `temporal workflow start` carry the
    // record's component names; a wither must not add a property.
    var payload = DataConversion.converter().toPayload(o).orElseThrow();
    assertThat(payload.getData().toStringUtf8()).doesNotContain("with").contains("\"postCopy\":true");
    assertThat(DataConversion.converter().fromPayload(payload, MigrationOptions.class, MigrationOptions.class))
        .isEqualTo(o);
  }

  @Test
  void downtime_rises_in_novas_steps_from_a_tenth_to_the_maximum() {
    // nova's defaults: 500 ms in 10 steps, 75 s per GiB; 2 GiB of data: a step every 150 s.
    var steps = MigrationPolicy.downtimeSteps(500, 10, 75, 2L << 30);

    assertThat(steps).hasSize(11);
    assertThat(steps.get(0)).isEqualTo(new MigrationPolicy.DowntimeStep(0, 50));
    assertThat(steps.get(1)).isEqualTo(new MigrationPolicy.DowntimeStep(150_000, 95));
    assertThat(steps.get(10)).isEqualTo(new MigrationPolicy.DowntimeStep(1_500_000, 500));
    assertThat(steps).extracting(MigrationPolicy.DowntimeStep::downtimeMs).isSorted();
  }

  @Test
  void one_step_allows_the_maximum_at_once_and_no_maximum_leaves_libvirts_default() {
    assertThat(MigrationPolicy.downtimeSteps(300, 1, 75, 1L << 30))
        .containsExactly(new MigrationPolicy.DowntimeStep(0, 300));
    assertThat(MigrationPolicy.downtimeSteps(0, 10, 75, 1L << 30)).isEmpty();
  }
}
