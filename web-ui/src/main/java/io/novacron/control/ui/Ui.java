package io.novacron.control.ui;

import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.progressbar.ProgressBar;
import com.vaadin.flow.component.progressbar.ProgressBarVariant;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Small pieces the pages share: badges, times, sizes, usage bars. */
public final class Ui {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

  private Ui() {}

  public static String time(Instant instant) {
    return instant == null ? "-" : TIME.format(instant);
  }

  /** A Lumo badge: {@code success}, {@code error}, {@code contrast} or empty for the default. */
  public static Span badge(String text, String variant) {
    Span badge = new Span(text);
    badge.getElement().getThemeList().add(variant.isEmpty() ? "badge" : "badge " + variant);
    return badge;
  }

  /** A run state as a badge coloured by outcome. */
  public static Span stateBadge(String state) {
    String variant = switch (state == null ? "" : state) {
      case "SUCCEEDED" -> "success";
      case "FAILED" -> "error";
      case "CANCELLED" -> "contrast";
      // Filled, unlike FAILED's pale red: the run is still open and waits for someone.
      case "ATTENTION" -> "error primary";
      default -> "";
    };
    Span badge = badge(state, variant);
    badge.addClassName("run-state");
    return badge;
  }

  /**
   * A plain progress bar for {@code used} of {@code total} with its figures underneath; red above
   * 90 %, and an empty bar where the total is not known.
   */
  public static Div usageBar(long used, long total, String unit) {
    ProgressBar bar = new ProgressBar(0, 1, total <= 0 ? 0 : Math.min(1, (double) used / total));
    if (total > 0 && (double) used / total > 0.9) {
      bar.addThemeVariants(ProgressBarVariant.LUMO_ERROR);
    }
    Span label = new Span(total <= 0 ? "unknown" : used + " / " + total + " " + unit);
    label.getStyle().set("font-size", "var(--lumo-font-size-xs)");
    Div box = new Div(bar, label);
    box.getStyle().set("min-width", "8em");
    return box;
  }

  public static String mib(long bytes) {
    return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
  }

  public static String gib(double gib) {
    return String.format(Locale.ROOT, "%.1f GiB", gib);
  }

  public static String seconds(long seconds) {
    if (seconds < 0) {
      return "unknown";
    }
    return seconds < 120 ? seconds + " s" : (seconds / 60) + " min " + (seconds % 60) + " s";
  }
}
