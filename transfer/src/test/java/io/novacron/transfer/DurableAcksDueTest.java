package io.novacron.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DurableAcksDueTest {
  static final long MIB = 1L << 20;

  @Test
  void nothing_pending_waits_however_long_it_has_been() {
    assertThat(DurableAcks.due(false, true, 0, 0, 10 * DurableAcks.SYNC_NANOS)).isFalse();
  }

  @Test
  void a_flush_is_due_at_once_even_with_nothing_pending() {
    assertThat(DurableAcks.due(true, true, 0, 0, 0)).isTrue();
  }

  @Test
  void written_bytes_make_a_round_due_at_the_threshold() {
    assertThat(DurableAcks.due(false, false, DurableAcks.SYNC_BYTES - 1, DurableAcks.SYNC_BYTES - 1, 0)).isFalse();
    assertThat(DurableAcks.due(false, false, DurableAcks.SYNC_BYTES, DurableAcks.SYNC_BYTES, 0)).isTrue();
  }

  @Test
  void zero_runs_that_write_nothing_still_make_a_round_due_once_they_cover_enough() {
    // A mostly-zero image: 31 MiB of zeros and holes waits for the period, 32 MiB does not.
    assertThat(DurableAcks.due(false, false, MIB / 2, 31 * MIB, 0)).isFalse();
    assertThat(DurableAcks.due(false, false, MIB / 2, DurableAcks.SYNC_COVERED_BYTES, 0)).isTrue();
  }

  @Test
  void anything_pending_is_due_after_a_period() {
    assertThat(DurableAcks.due(false, false, 1, 1, DurableAcks.SYNC_NANOS - 1)).isFalse();
    assertThat(DurableAcks.due(false, false, 1, 1, DurableAcks.SYNC_NANOS)).isTrue();
  }
}
