package io.novacron.control.run;

import com.vaadin.flow.component.html.Div;
import io.novacron.control.ui.Downsample;
import io.novacron.control.ui.SeriesChart;
import io.novacron.control.ui.Units;
import io.novacron.workflows.migrate.MigrationProgress;
import java.util.ArrayList;
import java.util.List;

/**
 * A migration's transferred bytes and the guest's dirty rate over time ({@link SeriesChart}). The
 * series is the run's stored samples ({@link MigrationSamples}, written by {@link MigrationSampler}
 * whether or not a page is open) followed by the heartbeats this page saw after the newest stored
 * one, drawn with at most {@link Downsample#MAX_POINTS} points.
 */
class TransferChart extends Div {
  /** The most heartbeats the page keeps beyond the stored series (a sampler that stopped writing). */
  static final int MAX_POINTS = 600;

  /**
   * One sample.
   *
   * @param elapsedMs time since the transfer started
   * @param transferredBytes bytes sent so far
   * @param dirtyBytesPerSecond how fast the guest re-dirtied memory then
   */
  record Point(long elapsedMs, long transferredBytes, long dirtyBytesPerSecond) {
    static Point of(MigrationProgress sample) {
      return new Point(sample.elapsedMs(), Math.max(0, sample.processedBytes()), Math.max(0, sample.dirtyRateBytesPerSec()));
    }
  }

  private List<Point> stored = List.of();
  private final List<Point> seen = new ArrayList<>();
  private String drawn;

  TransferChart() {
    setId("migration-chart");
    setWidthFull();
    getStyle().set("max-width", "640px");
  }

  /** Replaces the stored part of the series with {@code series} (oldest first), and redraws. */
  void show(List<MigrationProgress> series) {
    stored = series.stream().map(Point::of).toList();
    long last = last(stored);
    seen.removeIf(p -> p.elapsedMs() <= last);
    redraw();
  }

  /** Adds a live heartbeat if it is newer than every point held, and redraws. */
  void add(MigrationProgress sample) {
    long last = seen.isEmpty() ? last(stored) : seen.get(seen.size() - 1).elapsedMs();
    if (last >= sample.elapsedMs()) {
      return;
    }
    seen.add(Point.of(sample));
    if (seen.size() > MAX_POINTS) {
      seen.remove(0);
    }
    redraw();
  }

  private void redraw() {
    List<Point> all = new ArrayList<>(stored);
    all.addAll(seen);
    String html = svg(Downsample.evenly(all, Downsample.MAX_POINTS));
    if (!html.equals(drawn)) { // an unchanged chart costs no push to the browser
      drawn = html;
      getElement().setProperty("innerHTML", html);
    }
  }

  private static long last(List<Point> points) {
    return points.isEmpty() ? Long.MIN_VALUE : points.get(points.size() - 1).elapsedMs();
  }

  /** The chart of {@code points} (oldest first) as an SVG document fragment. */
  static String svg(List<Point> points) {
    return SeriesChart.svg("transferred bytes and dirty rate over time",
        points.stream().map(Point::elapsedMs).toList(), ms -> Units.duration(ms / 1000),
        List.of(
            new SeriesChart.Line("transferred", "transferred", "#1676f3", false, SeriesChart.Axis.LEFT,
                points.stream().map(Point::transferredBytes).toList(), Units::bytes),
            new SeriesChart.Line("dirty-rate", "dirty rate", "#e8590c", true, SeriesChart.Axis.RIGHT,
                points.stream().map(Point::dirtyBytesPerSecond).toList(), Units::rate)));
  }
}
