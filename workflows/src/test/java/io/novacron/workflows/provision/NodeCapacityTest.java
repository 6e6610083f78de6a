package io.novacron.workflows.provision;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class NodeCapacityTest {
  private static final long SEEN = 1_700_000_000_000L;

  private static NodeCapacity seenAt(long lastSeenMillis, int intervalSeconds) {
    return new NodeCapacity("node-a", 4, 8192, 100, List.of(), 0, 0, 0, lastSeenMillis, intervalSeconds);
  }

  @Test
  void freshWithinThreeIntervals() {
    NodeCapacity node = seenAt(SEEN, 10);
    assertThat(node.isStale(SEEN)).isFalse();
    assertThat(node.isStale(SEEN + 29_999)).isFalse();
  }

  @Test
  void exactlyThreeIntervalsIsStillFresh() {
    assertThat(seenAt(SEEN, 10).isStale(SEEN + 30_000)).isFalse();
  }

  @Test
  void staleAfterThreeMissedAnnouncements() {
    assertThat(seenAt(SEEN, 10).isStale(SEEN + 30_001)).isTrue();
    assertThat(seenAt(SEEN, 60).isStale(SEEN + 180_001)).isTrue();
    assertThat(seenAt(SEEN, 60).isStale(SEEN + 179_999)).isFalse();
  }

  @Test
  void zeroOrNegativeIntervalCountsAsOneSecond() {
    assertThat(seenAt(SEEN, 0).isStale(SEEN + 3_000)).isFalse();
    assertThat(seenAt(SEEN, 0).isStale(SEEN + 3_001)).isTrue();
    assertThat(seenAt(SEEN, -5).isStale(SEEN + 3_001)).isTrue();
  }

  @Test
  void staticRuleAgreesWithTheRecordMethod() {
    assertThat(NodeCapacity.isStale(SEEN, 10, SEEN + 30_001)).isTrue();
    assertThat(NodeCapacity.isStale(SEEN, 10, SEEN + 30_000)).isFalse();
    assertThat(NodeCapacity.STALE_AFTER_MISSED_ANNOUNCEMENTS).isEqualTo(3);
  }

  @Test
  void largeIntervalDoesNotOverflow() {
    // 3 * 1000 * Integer.MAX_VALUE must be computed in long arithmetic.
    assertThat(seenAt(SEEN, Integer.MAX_VALUE).isStale(SEEN + 1_000_000_000L)).isFalse();
  }
}
