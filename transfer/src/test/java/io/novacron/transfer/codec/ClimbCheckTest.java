package io.novacron.transfer.codec;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ClimbCheckTest {
  static final int LZ4 = 1;
  static final int ZSTD1 = 2;

  @Test
  void a_climb_pays_when_it_delivers_as_much_within_the_noise() {
    assertThat(ClimbCheck.paid(200e6, 200e6)).isTrue();
    assertThat(ClimbCheck.paid(200e6, 191e6)).isTrue();
    assertThat(ClimbCheck.paid(200e6, 189e6)).isFalse();
    assertThat(ClimbCheck.paid(200e6, 260e6)).isTrue();
  }

  @Test
  void the_hold_grows_with_each_failure_up_to_a_cap() {
    assertThat(ClimbCheck.holdWindows(1)).isEqualTo(ClimbCheck.FIRST_HOLD);
    assertThat(ClimbCheck.holdWindows(2)).isEqualTo(2 * ClimbCheck.FIRST_HOLD);
    assertThat(ClimbCheck.holdWindows(3)).isEqualTo(4 * ClimbCheck.FIRST_HOLD);
    assertThat(ClimbCheck.holdWindows(40)).isEqualTo(ClimbCheck.MAX_HOLD);
  }

  @Test
  void delivered_is_raw_bytes_per_second_of_wall_time() {
    assertThat(ClimbCheck.delivered(50_000_000, 250_000_000)).isEqualTo(200e6);
    assertThat(ClimbCheck.delivered(1, 0)).isZero();
  }

  @Test
  void the_first_window_climbs_nowhere() {
    ClimbCheck c = new ClimbCheck(7);
    assertThat(c.decide(LZ4, ZSTD1, 100e6)).isEqualTo(LZ4);
    assertThat(c.decide(LZ4, ZSTD1, 200e6)).isEqualTo(ZSTD1);
  }

  @Test
  void a_climb_that_delivers_less_steps_back_and_is_held_off_longer_each_time() {
    ClimbCheck c = new ClimbCheck(7);
    c.decide(LZ4, LZ4, 150e6); // warm-up
    assertThat(c.decide(LZ4, ZSTD1, 200e6)).isEqualTo(ZSTD1); // climb, reference 200 MB/s
    assertThat(c.decide(ZSTD1, ZSTD1, 170e6)).isEqualTo(LZ4); // delivered less: back
    int held = 0;
    while (c.decide(LZ4, ZSTD1, 200e6) == LZ4) {
      held++;
    }
    // The step back's window and FIRST_HOLD - 1 more pass before the next try.
    assertThat(held).isEqualTo(ClimbCheck.FIRST_HOLD - 1);
    assertThat(c.decide(ZSTD1, ZSTD1, 170e6)).isEqualTo(LZ4); // failed again
    held = 0;
    while (c.decide(LZ4, ZSTD1, 200e6) == LZ4) {
      held++;
    }
    assertThat(held).isEqualTo(2 * ClimbCheck.FIRST_HOLD - 1);
  }

  @Test
  void a_climb_that_pays_stays_and_may_climb_on() {
    ClimbCheck c = new ClimbCheck(7);
    c.decide(LZ4, LZ4, 100e6);
    assertThat(c.decide(LZ4, ZSTD1, 100e6)).isEqualTo(ZSTD1);
    assertThat(c.decide(ZSTD1, ZSTD1 + 1, 120e6)).isEqualTo(ZSTD1 + 1);
  }

  @Test
  void a_failed_climb_goes_lower_when_the_loop_wants_lower() {
    ClimbCheck c = new ClimbCheck(7);
    c.decide(LZ4, LZ4, 100e6);
    c.decide(LZ4, ZSTD1, 200e6);
    // Data went random in the climbed window: the loop drops to none; so does the check.
    assertThat(c.decide(ZSTD1, 0, 50e6)).isZero();
  }

  @Test
  void a_rung_is_held_in_the_first_window_and_during_its_back_off() {
    ClimbCheck c = new ClimbCheck(7);
    assertThat(c.holding(LZ4)).isTrue();
    c.decide(LZ4, LZ4, 150e6); // warm-up over
    assertThat(c.holding(LZ4)).isFalse();
    c.decide(LZ4, ZSTD1, 200e6);
    c.decide(ZSTD1, ZSTD1, 150e6); // failed: back to lz4, held
    assertThat(c.holding(LZ4)).isTrue();
    for (int i = 0; i < ClimbCheck.FIRST_HOLD; i++) {
      c.decide(LZ4, LZ4, 150e6);
    }
    assertThat(c.holding(LZ4)).isFalse();
  }
}
