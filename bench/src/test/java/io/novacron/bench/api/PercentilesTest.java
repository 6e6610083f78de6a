package io.novacron.bench.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class PercentilesTest {
  @Test
  void nearest_rank_of_unsorted_values() {
    long[] values = LongStream.rangeClosed(1, 100).map(i -> 101 - i).toArray();

    assertThat(Percentiles.of(values, 50)).isEqualTo(50);
    assertThat(Percentiles.of(values, 95)).isEqualTo(95);
    assertThat(Percentiles.of(values, 100)).isEqualTo(100);
    assertThat(Percentiles.of(new long[] {7}, 99)).isEqualTo(7);
  }

  @Test
  void none_is_minus_one_and_a_bad_rank_is_refused() {
    assertThat(Percentiles.of(new long[0], 50)).isEqualTo(-1);
    assertThatThrownBy(() -> Percentiles.of(new long[] {1}, 0)).isInstanceOf(IllegalArgumentException.class);
  }
}
