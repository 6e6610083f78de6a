package io.novacron.control.ui;

import java.util.ArrayList;
import java.util.List;

/** Thins a series for a chart: a chart 640 units wide gains nothing from more points than this. */
public final class Downsample {
  /** The most points a chart draws. */
  public static final int MAX_POINTS = 300;

  private Downsample() {}

  /**
   * At most {@code max} of {@code points}, evenly spaced by position, always keeping the first and
   * the last (the chart's time span stays whole); the list itself when it is short enough.
   *
   * @throws IllegalArgumentException when {@code max} is under 2
   */
  public static <T> List<T> evenly(List<T> points, int max) {
    if (max < 2) {
      throw new IllegalArgumentException("max must be at least 2 (the first and the last point), was " + max);
    }
    if (points.size() <= max) {
      return points;
    }
    List<T> kept = new ArrayList<>(max);
    double step = (double) (points.size() - 1) / (max - 1);
    for (int i = 0; i < max; i++) {
      kept.add(points.get((int) Math.round(i * step)));
    }
    return kept;
  }
}
