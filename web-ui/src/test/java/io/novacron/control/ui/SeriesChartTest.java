package io.novacron.control.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class SeriesChartTest {
  @Test
  void linesOnOneAxisShareItsScale() {
    String svg = SeriesChart.svg("test", List.of(0L, 10L), n -> n + " ms", List.of(
        new SeriesChart.Line("used", "used", "#00f", false, SeriesChart.Axis.LEFT, List.of(2L, 4L), n -> n + " u"),
        new SeriesChart.Line("total", "total", "#555", true, SeriesChart.Axis.LEFT, List.of(8L, 8L), n -> n + " u")));

    // y runs 10 (the axis maximum, 8) to 160 (0): used 2 of 8 is 3/4 down the plot.
    assertThat(points(svg, "used")).isEqualTo("70.0,122.5 560.0,85.0");
    assertThat(points(svg, "total")).isEqualTo("70.0,10.0 560.0,10.0");
    assertThat(svg).contains(">8 u<").contains(">0 ms<").contains(">10 ms<").contains("stroke-dasharray");
  }

  @Test
  void aNegativeValueIsDrawnAtZero() {
    String svg = SeriesChart.svg("test", List.of(0L, 1L), n -> "", List.of(
        new SeriesChart.Line("v", "v", "#00f", false, SeriesChart.Axis.LEFT, List.of(-5L, 10L), n -> "")));
    assertThat(points(svg, "v")).isEqualTo("70.0,160.0 560.0,10.0");
  }

  private static String points(String svg, String series) {
    Matcher m = Pattern.compile("class='" + series + "'[^>]*points='([^']*)'").matcher(svg);
    assertThat(m.find()).as(series + " in " + svg).isTrue();
    return m.group(1);
  }
}
