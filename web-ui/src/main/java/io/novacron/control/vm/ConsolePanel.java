package io.novacron.control.vm;

import io.novacron.control.ui.Units;

import com.vaadin.flow.component.Text;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.UIDetachedException;
import com.vaadin.flow.component.html.Pre;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import io.novacron.workflows.console.ConsoleRequest;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletionException;

/**
 * A VM's serial console, live: each {@link #poll()} asks for what the log gained since the last
 * read (starting with its last 64 KiB) and appends it. Reads run in the background
 * ({@link VmConsoles#readLater}); one at a time, so a slow node never piles reads up.
 */
final class ConsolePanel extends VerticalLayout {
  /** The panel keeps about this much text; older text is dropped from the browser. */
  static final int KEEP_CHARS = 256 * 1024;

  private final VmConsoles consoles;
  private final String vm;
  private final Pre log = new Pre();
  private final Span status = new Span();
  private final Deque<Text> parts = new ArrayDeque<>();
  private long offset = -ConsoleRequest.MAX_BYTES;
  private int shownChars;
  private boolean reading;
  /** Whether the log holds output before what the panel shows (the first read's tail, or trimming). */
  private boolean earlierHidden;

  ConsolePanel(VmConsoles consoles, String vm) {
    this.consoles = consoles;
    this.vm = vm;
    setPadding(false);
    setWidthFull();
    log.setId("vm-console");
    log.getStyle().set("font-family", "var(--lumo-font-family-monospace, monospace)")
        .set("font-size", "var(--lumo-font-size-s)").set("white-space", "pre-wrap").set("overflow-wrap", "anywhere")
        .set("min-height", "4em").set("max-height", "28em").set("overflow", "auto").set("width", "100%").set("margin", "0")
        .set("padding", "var(--lumo-space-s)").set("background", "var(--lumo-contrast-5pct)")
        .set("box-sizing", "border-box");
    status.setId("vm-console-status");
    status.getStyle().set("font-size", "var(--lumo-font-size-xs)").set("color", "var(--lumo-secondary-text-color)");
    add(status, log);
  }

  /** Starts a read unless one is under way. Call it under the session lock (a refresh). */
  void poll() {
    if (reading) {
      return;
    }
    UI ui = getUI().orElse(null);
    if (ui == null) {
      return;
    }
    reading = true;
    consoles.readLater(vm, offset, 0).whenComplete((text, error) -> {
      try {
        ui.access(() -> {
          reading = false;
          if (error != null) {
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            status.setText("console unavailable: " + cause.getMessage());
          } else {
            show(text);
          }
        });
      } catch (UIDetachedException gone) {
        // The page was closed meanwhile: nothing to show the text on.
      }
    });
  }

  private void show(ConsoleText text) {
    if (text.restarted()) {
      append(System.lineSeparator() + "--- the guest started again: a new console log ---" + System.lineSeparator());
    }
    if (!text.text().isEmpty()) {
      append(text.text());
      // Follow the end, as a terminal does.
      log.getElement().executeJs("this.scrollTop = this.scrollHeight");
    }
    offset = text.nextOffset();
    earlierHidden |= text.truncatedBefore();
    status.setText("serial console on " + text.node() + ", " + Units.bytes(text.size())
        + (earlierHidden ? "; earlier output: novacron vm console " + vm : ""));
  }

  private void append(String more) {
    Text part = new Text(more);
    log.add(part);
    parts.addLast(part);
    shownChars += more.length();
    while (shownChars > KEEP_CHARS && parts.size() > 1) {
      Text oldest = parts.removeFirst();
      shownChars -= oldest.getText().length();
      log.remove(oldest);
      earlierHidden = true;
    }
  }
}
