package io.novacron.control.run;

import com.vaadin.flow.component.html.Div;
import io.novacron.control.ui.Units;
import io.novacron.workflows.migrate.MigrationProgress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A migration's transferred bytes and the guest's dirty rate over time, as a small SVG drawn here
 * in Java (no chart library). Temporal keeps only the monitor's latest heartbeat, so the chart
 * holds the samples this page has seen since it opened, up to {@value #MAX_POINTS}.
 */
class TransferChart extends Div {
  static final int MAX_POINTS = 600;
  private static final int WIDTH = 640;
  private static final int HEIGHT = 200;
  private static final int LEFT = 70;
  private static final int RIGHT = 80;
  private static final int TOP = 10;
  private static final int BOTTOM = 40;

  /**
   * One sample.
   *
   * @param elapsedMs time since the transfer started
   * @param transferredBytes bytes sent so far
   * @param dirtyBytesPerSecond how fast the guest re-dirtied memory then
   */
  record Point(long elapsedMs, long transferredBytes, long dirtyBytesPerSecond) {}

  private final List<Point> points = new ArrayList<>();

  TransferChart() {
    setId("migration-chart");
    setWidthFull();
    getStyle().set("max-width", WIDTH + "px");
  }

  /** Adds the sample if it is newer than the last one seen, and redraws. */
  void add(MigrationProgress sample) {
    if (!points.isEmpty() && points.get(points.size() - 1).elapsedMs() >= sample.elapsedMs()) {
      return;
    }
    points.add(new Point(sample.elapsedMs(), Math.max(0, sample.processedBytes()),
        Math.max(0, sample.dirtyRateBytesPerSec())));
    if (points.size() > MAX_POINTS) {
      points.remove(0);
    }
    getElement().setProperty("innerHTML", svg(points));
  }

  /** The chart of {@code points} (oldest first) as an SVG document fragment. */
  static String svg(List<Point> points) {
    StringBuilder svg = new StringBuilder()
        .append("<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 ").append(WIDTH).append(' ').append(HEIGHT)
        .append("' width='100%' role='img' aria-label='transferred bytes and dirty rate over time'")
        .append(" style='font: 11px sans-serif'>");
    if (points.size() < 2) {
      return svg.append("<text x='").append(LEFT).append("' y='").append(HEIGHT / 2)
          .append("'>collecting samples…</text></svg>").toString();
    }
    long start = points.get(0).elapsedMs();
    long span = Math.max(1, points.get(points.size() - 1).elapsedMs() - start);
    long maxBytes = Math.max(1, points.stream().mapToLong(Point::transferredBytes).max().orElse(1));
    long maxDirty = Math.max(1, points.stream().mapToLong(Point::dirtyBytesPerSecond).max().orElse(1));
    int plotWidth = WIDTH - LEFT - RIGHT;
    int plotHeight = HEIGHT - TOP - BOTTOM;
    StringBuilder bytes = new StringBuilder();
    StringBuilder dirty = new StringBuilder();
    for (Point p : points) {
      double x = LEFT + plotWidth * (double) (p.elapsedMs() - start) / span;
      bytes.append(coordinate(x, TOP + plotHeight * (1 - (double) p.transferredBytes() / maxBytes))).append(' ');
      dirty.append(coordinate(x, TOP + plotHeight * (1 - (double) p.dirtyBytesPerSecond() / maxDirty))).append(' ');
    }
    int bottom = TOP + plotHeight;
    svg.append("<rect x='").append(LEFT).append("' y='").append(TOP).append("' width='").append(plotWidth)
        .append("' height='").append(plotHeight).append("' fill='none' stroke='#ccc'/>")
        .append("<polyline class='transferred' fill='none' stroke='#1676f3' stroke-width='2' points='")
        .append(bytes.toString().trim()).append("'/>")
        .append("<polyline class='dirty-rate' fill='none' stroke='#e8590c' stroke-width='2' stroke-dasharray='4 3' points='")
        .append(dirty.toString().trim()).append("'/>")
        .append(text(LEFT - 4, TOP + 10, "end", "#1676f3", Units.bytes(maxBytes)))
        .append(text(LEFT - 4, bottom, "end", "#1676f3", "0 B"))
        .append(text(WIDTH - RIGHT + 4, TOP + 10, "start", "#e8590c", Units.rate(maxDirty)))
        .append(text(WIDTH - RIGHT + 4, bottom, "start", "#e8590c", "0 B/s"))
        .append(text(LEFT, bottom + 14, "start", "#555", Units.duration(start / 1000)))
        .append(text(WIDTH - RIGHT, bottom + 14, "end", "#555", Units.duration((start + span) / 1000)))
        .append(text(LEFT, HEIGHT - 4, "start", "#1676f3", "— transferred"))
        .append(text(LEFT + 110, HEIGHT - 4, "start", "#e8590c", "- - dirty rate"))
        .append("</svg>");
    return svg.toString();
  }

  private static String coordinate(double x, double y) {
    return String.format(Locale.ROOT, "%.1f,%.1f", x, y);
  }

  /** Labels are our own figures (digits and units), never user text: nothing to escape. */
  private static String text(int x, int y, String anchor, String colour, String label) {
    return "<text x='" + x + "' y='" + y + "' text-anchor='" + anchor + "' fill='" + colour + "'>" + label + "</text>";
  }
}
