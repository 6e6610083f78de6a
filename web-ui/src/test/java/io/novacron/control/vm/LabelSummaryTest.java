package io.novacron.control.vm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LabelSummaryTest {
  @Test
  void pairsSortedByKey() {
    assertThat(LabelSummary.of("{\"tier\":\"front\",\"team\":\"web\"}")).isEqualTo("team=web, tier=front");
  }

  @Test
  void noneIsEmpty() {
    assertThat(LabelSummary.of("{}")).isEmpty();
    assertThat(LabelSummary.of(null)).isEmpty();
  }
}
