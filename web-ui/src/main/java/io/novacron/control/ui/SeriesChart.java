package io.novacron.control.ui;

import java.util.List;
import java.util.Locale;
import java.util.function.LongFunction;

/**
 * A line chart over time as a small SVG drawn in Java (no chart library): the migration chart and
 * the node capacity charts. Lines on the left axis share one scale, lines on the right another.
 */
public final class SeriesChart {
  private static final int WIDTH = 640;
  private static final int HEIGHT = 200;
  private static final int LEFT = 70;
  private static final int RIGHT = 80;
  private static final int TOP = 10;
  private static final int BOTTOM = 40;

  private SeriesChart() {}

  /** Which scale a line uses. */
  public enum Axis { LEFT, RIGHT }

  /**
   * One line.
   *
   * @param cssClass the polyline's class (tests find the line by it)
   * @param legend its name under the chart
   * @param colour a CSS colour
   * @param dashed whether it is drawn dashed
   * @param axis its scale
   * @param values one per x, 0 or more
   * @param format how its scale's figures read (the axis takes the first line's)
   */
  public record Line(String cssClass, String legend, String colour, boolean dashed, Axis axis,
      List<Long> values, LongFunction<String> format) {}

  /**
   * The chart as an SVG fragment.
   *
   * @param ariaLabel what it shows, for screen readers
   * @param x the x of each point, ascending (e.g. elapsed or epoch milliseconds)
   * @param xLabel how the first and last x read
   * @param lines the lines, each with one value per x
   */
  public static String svg(String ariaLabel, List<Long> x, LongFunction<String> xLabel, List<Line> lines) {
    StringBuilder svg = new StringBuilder()
        .append("<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 ").append(WIDTH).append(' ').append(HEIGHT)
        .append("' width='100%' role='img' aria-label='").append(ariaLabel).append("'")
        .append(" style='font: 11px sans-serif'>");
    if (x.size() < 2) {
      return svg.append("<text x='").append(LEFT).append("' y='").append(HEIGHT / 2)
          .append("'>collecting samples…</text></svg>").toString();
    }
    long start = x.get(0);
    long span = Math.max(1, x.get(x.size() - 1) - start);
    long maxLeft = max(lines, Axis.LEFT);
    long maxRight = max(lines, Axis.RIGHT);
    int plotWidth = WIDTH - LEFT - RIGHT;
    int plotHeight = HEIGHT - TOP - BOTTOM;
    int bottom = TOP + plotHeight;
    svg.append("<rect x='").append(LEFT).append("' y='").append(TOP).append("' width='").append(plotWidth)
        .append("' height='").append(plotHeight).append("' fill='none' stroke='#ccc'/>");
    int legendX = LEFT;
    boolean leftLabelled = false;
    boolean rightLabelled = false;
    for (Line line : lines) {
      long max = line.axis() == Axis.LEFT ? maxLeft : maxRight;
      StringBuilder points = new StringBuilder();
      for (int i = 0; i < x.size(); i++) {
        double px = LEFT + plotWidth * (double) (x.get(i) - start) / span;
        double py = TOP + plotHeight * (1 - (double) Math.max(0, line.values().get(i)) / max);
        points.append(String.format(Locale.ROOT, "%.1f,%.1f", px, py)).append(' ');
      }
      svg.append("<polyline class='").append(line.cssClass()).append("' fill='none' stroke='").append(line.colour())
          .append("' stroke-width='2'").append(line.dashed() ? " stroke-dasharray='4 3'" : "")
          .append(" points='").append(points.toString().trim()).append("'/>");
      if (line.axis() == Axis.LEFT && !leftLabelled) {
        leftLabelled = true;
        svg.append(text(LEFT - 4, TOP + 10, "end", line.colour(), line.format().apply(max)))
            .append(text(LEFT - 4, bottom, "end", line.colour(), line.format().apply(0)));
      } else if (line.axis() == Axis.RIGHT && !rightLabelled) {
        rightLabelled = true;
        svg.append(text(WIDTH - RIGHT + 4, TOP + 10, "start", line.colour(), line.format().apply(max)))
            .append(text(WIDTH - RIGHT + 4, bottom, "start", line.colour(), line.format().apply(0)));
      }
      svg.append(text(legendX, HEIGHT - 4, "start", line.colour(), (line.dashed() ? "- - " : "— ") + line.legend()));
      legendX += 110;
    }
    return svg.append(text(LEFT, bottom + 14, "start", "#555", xLabel.apply(start)))
        .append(text(WIDTH - RIGHT, bottom + 14, "end", "#555", xLabel.apply(start + span)))
        .append("</svg>").toString();
  }

  private static long max(List<Line> lines, Axis axis) {
    return Math.max(1, lines.stream().filter(l -> l.axis() == axis)
        .flatMap(l -> l.values().stream()).mapToLong(Long::longValue).max().orElse(1));
  }

  /** Labels are our own figures and fixed words, never user text: nothing to escape. */
  private static String text(int x, int y, String anchor, String colour, String label) {
    return "<text x='" + x + "' y='" + y + "' text-anchor='" + anchor + "' fill='" + colour + "'>" + label + "</text>";
  }
}
