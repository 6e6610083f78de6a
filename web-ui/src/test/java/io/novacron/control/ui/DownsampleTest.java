package io.novacron.control.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class DownsampleTest {
  @Test
  void aShortSeriesIsKeptWhole() {
    List<Integer> points = List.of(1, 2, 3);
    assertThat(Downsample.evenly(points, 300)).isSameAs(points);
  }

  @Test
  void aLongSeriesKeepsTheFirstAndTheLastAndIsEvenlySpaced() {
    List<Integer> points = IntStream.range(0, 1001).boxed().toList();

    List<Integer> kept = Downsample.evenly(points, 11);

    assertThat(kept).containsExactly(0, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1000);
  }

  @Test
  void theChartsLimitHoldsForAnyLength() {
    for (int n : new int[] {301, 302, 599, 600, 601, 43_200}) {
      List<Integer> kept = Downsample.evenly(IntStream.range(0, n).boxed().toList(), Downsample.MAX_POINTS);
      assertThat(kept).hasSize(Downsample.MAX_POINTS).isSorted().doesNotHaveDuplicates();
      assertThat(kept.get(0)).isZero();
      assertThat(kept.get(kept.size() - 1)).isEqualTo(n - 1);
    }
  }

  @Test
  void fewerThanTwoPointsCannotSpanAChart() {
    assertThatThrownBy(() -> Downsample.evenly(List.of(1, 2, 3), 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("max must be at least 2");
  }
}
