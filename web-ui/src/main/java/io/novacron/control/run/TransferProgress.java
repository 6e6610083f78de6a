package io.novacron.control.run;

import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.progressbar.ProgressBar;
import io.novacron.control.ui.Units;
import io.novacron.workflows.migrate.MigrationProgress;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The run page's transfer section: a bar and a line of text drawn from one {@link RunProgress},
 * so the bar can never be ahead of or behind the figures beside it; below, what only a live
 * migration's sample says (dirty rate, iteration, stalled, forced) and a chart of transferred bytes
 * and dirty rate over time.
 */
class TransferProgress extends Div {
  private final ProgressBar bar = new ProgressBar(0, 1, 0);
  private final Span figures = new Span();
  private final Span migration = new Span();
  private final TransferChart chart = new TransferChart();

  TransferProgress() {
    bar.setId("migration-progress");
    figures.setId("migration-progress-text");
    migration.setId("migration-progress-detail");
    migration.getStyle().set("display", "block").set("font-size", "var(--lumo-font-size-s)");
    add(new H3("Transfer"), bar, figures, migration, chart);
    setWidthFull(); // the chart's width, also when a finished run shows the chart without the bar
    setVisible(false);
  }

  /**
   * Shows a migration's stored series ({@code stored}, oldest first) and, while it transfers, its
   * live progress; hidden when there is neither.
   */
  void show(Optional<RunProgressReader.Live> live, List<MigrationProgress> stored) {
    chart.show(stored);
    live.ifPresent(now -> show(now.progress(), now.sample()));
    bar.setVisible(live.isPresent());
    figures.setVisible(live.isPresent());
    migration.setVisible(live.isPresent());
    setVisible(live.isPresent() || !stored.isEmpty());
  }

  /**
   * Shows {@code progress}; {@code sample} is the live migration's sample it was computed from, or
   * null for a cold or warm move (its transfer streams' sum: no dirty rate, nothing to chart).
   */
  void show(RunProgress progress, MigrationProgress sample) {
    bar.setValue(progress.fraction());
    figures.setText(figures(progress));
    if (sample == null) {
      migration.setText("copied by the transfer engine (cold or warm move: no dirty rate)");
    } else {
      migration.setText("dirty rate " + Units.rate(sample.dirtyRateBytesPerSec()) + " · iteration " + sample.iteration()
          + (sample.stalled() ? " · stalled" : "") + (sample.forced() ? " · guest paused to finish" : ""));
      chart.add(sample);
    }
    setVisible(true);
  }

  void hide() {
    setVisible(false);
  }

  double barValue() {
    return bar.getValue();
  }

  String figuresText() {
    return figures.getText();
  }

  /** "1 GiB of 4 GiB (25 %) · 100 MiB/s · ETA 31 s", or "ETA unknown (not converging)". */
  static String figures(RunProgress p) {
    String eta = p.etaSeconds() != null ? "ETA " + Units.duration(p.etaSeconds())
        : p.converging() ? "ETA unknown" : "ETA unknown (not converging)";
    return Units.bytes(p.bytesProcessed()) + " of " + Units.bytes(p.bytesTotal())
        + " (" + percent(p.percent()) + ") · " + Units.rate(p.bytesPerSecond()) + " · " + eta;
  }

  private static String percent(double percent) {
    return percent == Math.rint(percent)
        ? String.format(Locale.ROOT, "%.0f %%", percent)
        : String.format(Locale.ROOT, "%.1f %%", percent);
  }
}
