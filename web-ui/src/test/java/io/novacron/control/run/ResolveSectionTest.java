package io.novacron.control.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.dialog.Dialog;
import io.novacron.workflows.migrate.Resolution;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The run page's section for a migration in ATTENTION, without a browser: what it offers and what it fires. */
class ResolveSectionTest {
  private final List<Resolution> fired = new ArrayList<>();
  /**
   * Held here because Vaadin's CurrentInstance keeps only a weak reference: a UI nobody else holds
   * can be collected between setCurrent and the dialog's open, which then finds no UI (seen on CI).
   */
  private final UI ui = new UI();

  @BeforeEach
  void ui() {
    UI.setCurrent(ui); // the confirmation dialog attaches itself to the current UI
  }

  @AfterEach
  void noUi() {
    UI.setCurrent(null);
  }

  @Test
  void anOperatorRetriesOrAbandonsAtOnceButKeepingACopyAsksFirst() {
    ResolveSection section = new ResolveSection(true);
    section.addResolveListener(event -> fired.add(event.resolution()));
    section.show("ATTENTION: lab-b does not answer", "lab-a", "lab-b");

    button(section, "run-resolve-retry").click();
    button(section, "run-resolve-abandon").click();
    Button keepTarget = button(section, "run-resolve-keep-target");
    keepTarget.click();

    assertThat(fired).as("keep-target waits for its confirmation").containsExactly(Resolution.RETRY, Resolution.ABANDON);
    Dialog dialog = section.confirmation(Resolution.KEEP_TARGET);
    assertThat(dialog.getHeaderTitle()).isEqualTo("Keep the copy on lab-b?");
    assertThat(dialog.getElement().getTextRecursively()).contains("removes the VM's copy and files on lab-a");
    Button yes = dialog.getFooter().getElement().getChildren().map(e -> e.getComponent().orElseThrow())
        .filter(c -> c.getId().filter("run-resolve-confirm"::equals).isPresent()).map(Button.class::cast)
        .findFirst().orElseThrow();
    yes.click();
    assertThat(fired).containsExactly(Resolution.RETRY, Resolution.ABANDON, Resolution.KEEP_TARGET);
    assertThat(keepTarget.getText()).isEqualTo("Keep the copy on lab-b");
    assertThat(button(section, "run-resolve-keep-source").getText()).isEqualTo("Keep the copy on lab-a");
  }

  @Test
  void aViewerSeesTheQuestionWithoutTheAnswers() {
    ResolveSection section = new ResolveSection(false);
    section.show("ATTENTION: two running copies", "lab-a", "lab-b");

    assertThat(button(section, "run-resolve-retry").getParent().orElseThrow().isVisible()).isFalse();
    assertThat(section.getElement().getTextRecursively()).contains("ATTENTION: two running copies")
        .contains("An operator answers it");
  }

  private static Button button(Component root, String id) {
    return find(root, id).map(Button.class::cast).orElseThrow(() -> new AssertionError("no #" + id));
  }

  private static Optional<Component> find(Component root, String id) {
    if (root.getId().filter(id::equals).isPresent()) {
      return Optional.of(root);
    }
    return root.getChildren().map(child -> find(child, id)).flatMap(Optional::stream).findFirst();
  }
}
