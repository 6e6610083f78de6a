package io.novacron.control.run;

import com.vaadin.flow.component.ComponentEvent;
import com.vaadin.flow.component.ComponentEventListener;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.shared.Registration;
import io.novacron.control.run.RunResolutions;
import io.novacron.workflows.migrate.Resolution;
import java.util.EnumMap;
import java.util.Map;

/**
 * The run page's section for a migration that waits for an operator (ATTENTION): what the run
 * says, and for operators its four answers. Keeping a copy removes the other one, so the keep
 * actions ask first. The section only fires a {@link ResolveEvent}; the view sends it to the run.
 */
public class ResolveSection extends Div {
  /** An operator chose {@link #resolution()}. */
  public static final class ResolveEvent extends ComponentEvent<ResolveSection> {
    private final Resolution resolution;

  public ResolveEvent(ResolveSection source, Resolution resolution) {
      super(source, false);
      this.resolution = resolution;
    }

    public Resolution resolution() {
      return resolution;
    }
  }

  private final Paragraph why = new Paragraph();
  private final Map<Resolution, Button> buttons = new EnumMap<>(Resolution.class);
  private String source = "the source";
  private String target = "the target";

  /** @param operator whether the signed-in user may answer; viewers see the question only */
  public ResolveSection(boolean operator) {
    setId("run-attention");
    why.setId("run-attention-detail");
    HorizontalLayout actions = new HorizontalLayout();
    for (Resolution resolution : Resolution.values()) {
      Button button = new Button(label(resolution), click -> choose(resolution));
      button.setId("run-resolve-" + RunResolutions.action(resolution));
      buttons.put(resolution, button);
      actions.add(button);
    }
    buttons.get(Resolution.KEEP_SOURCE).addThemeVariants(ButtonVariant.LUMO_ERROR);
    buttons.get(Resolution.KEEP_TARGET).addThemeVariants(ButtonVariant.LUMO_ERROR);
    actions.setVisible(operator);
    add(new H3("Waiting for an operator"), why, actions);
    if (!operator) {
      add(new Paragraph("An operator answers it: retry, abandon, keep the source's or the target's copy."));
    }
  }

  /** Shows what the run says ({@code detail}) for a migration from {@code source} to {@code target}. */
  public void show(String detail, String source, String target) {
    this.source = source == null ? "the source" : source;
    this.target = target == null ? "the target" : target;
    why.setText(detail == null ? "The run cannot tell where its VM runs and waits." : detail);
    buttons.get(Resolution.KEEP_SOURCE).setText("Keep the copy on " + this.source);
    buttons.get(Resolution.KEEP_TARGET).setText("Keep the copy on " + this.target);
  }

  public Registration addResolveListener(ComponentEventListener<ResolveEvent> listener) {
    return addListener(ResolveEvent.class, listener);
  }

  private void choose(Resolution resolution) {
    switch (resolution) {
      case KEEP_SOURCE, KEEP_TARGET -> confirmation(resolution).open();
      default -> fireEvent(new ResolveEvent(this, resolution));
    }
  }

  /** Removing a copy cannot be undone: a second click, naming both nodes. */
  public Dialog confirmation(Resolution resolution) {
    String kept = resolution == Resolution.KEEP_SOURCE ? source : target;
    String removed = resolution == Resolution.KEEP_SOURCE ? target : source;
    Dialog confirm = new Dialog();
    confirm.setId("run-resolve-dialog");
    confirm.setHeaderTitle("Keep the copy on " + kept + "?");
    confirm.add(new Paragraph("The run checks that the copy on " + kept + " runs, then removes the VM's copy and"
        + " files on " + removed + ". This cannot be undone."));
    Button yes = new Button("Keep " + kept, click -> {
      confirm.close();
      fireEvent(new ResolveEvent(this, resolution));
    });
    yes.setId("run-resolve-confirm");
    yes.addThemeVariants(ButtonVariant.LUMO_ERROR, ButtonVariant.LUMO_PRIMARY);
    confirm.getFooter().add(new Button("Back", click -> confirm.close()), yes);
    return confirm;
  }

  private static String label(Resolution resolution) {
    return switch (resolution) {
      case RETRY -> "Check again now";
      case ABANDON -> "Abandon (touch nothing)";
      case KEEP_SOURCE -> "Keep the source's copy";
      case KEEP_TARGET -> "Keep the target's copy";
    };
  }
}
