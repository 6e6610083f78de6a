package io.novacron.control.ui;

import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.progressbar.ProgressBar;
import com.vaadin.flow.component.progressbar.ProgressBarVariant;
import java.util.function.LongFunction;

/** Small pieces the pages share: badges and usage bars (figures are worded by {@link Units}). */
public final class Ui {
  private Ui() {}

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
      // Asked to cancel and rolling back (CancelRequests.STATE): on its way to CANCELLED.
      case "CANCELLED", "CANCEL_REQUESTED" -> "contrast";
      // Filled, unlike FAILED's pale red: the run is still open and waits for someone.
      case "ATTENTION" -> "error primary";
      default -> "";
    };
    Span badge = badge(state, variant);
    badge.addClassName("run-state");
    return badge;
  }

  /**
   * A plain progress bar for {@code used} of {@code total} with its figures underneath, each worded
   * by {@code format} (e.g. {@link Units#mebibytes}); red above 90 %, and an empty bar where the
   * total is not known.
   */
  public static Div usageBar(long used, long total, LongFunction<String> format) {
    ProgressBar bar = new ProgressBar(0, 1, total <= 0 ? 0 : Math.min(1, (double) used / total));
    if (total > 0 && (double) used / total > 0.9) {
      bar.addThemeVariants(ProgressBarVariant.LUMO_ERROR);
    }
    Span label = new Span(total <= 0 ? "unknown" : format.apply(used) + " of " + format.apply(total));
    // Its own line, wrapping: "1.5 GiB of 3 GiB" must not be cut at a narrow column's edge.
    label.getStyle().set("font-size", "var(--lumo-font-size-xs)").set("display", "block").set("white-space", "normal");
    // No width of its own: the column sets it, and a box wider than its cell would be cut off.
    return new Div(bar, label);
  }

  /**
   * Text for a grid cell that may hold long words (ids, URLs, paths): it wraps at word breaks and,
   * where a word alone is wider than the column, inside it, so nothing is cut off and the grid
   * never grows sideways for it.
   */
  public static Span wrapping(String text) {
    Span span = new Span(text == null ? "" : text);
    span.getStyle().set("white-space", "normal").set("overflow-wrap", "anywhere");
    return span;
  }
}
