package io.novacron.control.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.novacron.control.ui.Downsample;
import io.novacron.workflows.migrate.MigrationProgress;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class TransferChartTest {
  private static final long MIB = 1L << 20;

  @Test
  void bothSeriesSpanThePlotFromTheFirstSampleToTheLast() {
    String svg = TransferChart.svg(List.of(
        new TransferChart.Point(0, 0, 8 * MIB),
        new TransferChart.Point(5_000, 512 * MIB, 4 * MIB),
        new TransferChart.Point(10_000, 1024 * MIB, 0)));

    // x runs 70..560 (640 wide less the margins); y 10..160 (200 high less the margins), the maximum at the top.
    assertThat(points(svg, "transferred")).isEqualTo("70.0,160.0 315.0,85.0 560.0,10.0");
    assertThat(points(svg, "dirty-rate")).isEqualTo("70.0,10.0 315.0,85.0 560.0,160.0");
    assertThat(svg).contains(">1 GiB<").contains(">8 MiB/s<").contains(">0 s<").contains(">10 s<");
  }

  @Test
  void oneSampleIsNotYetAChart() {
    assertThat(TransferChart.svg(List.of(new TransferChart.Point(0, 0, 0)))).contains("collecting samples")
        .doesNotContain("polyline");
  }

  @Test
  void aRepeatedHeartbeatAddsNoPointAndTheSeriesIsBounded() {
    TransferChart chart = new TransferChart();
    for (int i = 0; i < TransferChart.MAX_POINTS + 10; i++) {
      MigrationProgress sample = new MigrationProgress(i * 1000L, i * MIB, MIB, (i + 1) * MIB, MIB, 1, 1, 1, false, false);
      chart.add(sample);
      chart.add(sample);
    }
    String svg = chart.getElement().getProperty("innerHTML");

    assertThat(points(svg, "transferred").split(" ")).as("thinned for the chart").hasSize(Downsample.MAX_POINTS);
    assertThat(svg).as("the oldest samples dropped first").contains(">10 s<");
  }

  @Test
  void theStoredSeriesComesFirstAndOnlyNewerHeartbeatsFollowIt() {
    TransferChart chart = new TransferChart();
    chart.add(sample(5_000, 5));
    chart.show(List.of(sample(0, 0), sample(5_000, 5), sample(10_000, 10)));
    chart.add(sample(10_000, 10)); // the stored one again: no second point
    chart.add(sample(20_000, 20));

    String svg = chart.getElement().getProperty("innerHTML");

    // 0, 10 and 20 s: x at 70, 315 and 560; the page's own 5 s heartbeat went with the stored one.
    assertThat(points(svg, "transferred")).isEqualTo("70.0,160.0 192.5,122.5 315.0,85.0 560.0,10.0");
    assertThat(svg).contains(">0 s<").contains(">20 s<");
  }

  private static MigrationProgress sample(long elapsedMs, long mib) {
    return new MigrationProgress(elapsedMs, mib * MIB, MIB, (mib + 1) * MIB, MIB, 1, 1, 1, false, false);
  }

  private static String points(String svg, String series) {
    Matcher m = Pattern.compile("class='" + series + "'[^>]*points='([^']*)'").matcher(svg);
    assertThat(m.find()).as(series + " in " + svg).isTrue();
    return m.group(1);
  }
}
