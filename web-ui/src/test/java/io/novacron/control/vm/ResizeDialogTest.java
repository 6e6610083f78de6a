package io.novacron.control.vm;

import static org.assertj.core.api.Assertions.assertThat;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.textfield.IntegerField;
import io.novacron.control.inventory.VmRow;
import io.novacron.workflows.FieldError;
import io.novacron.workflows.resize.ResizeVmRequest;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ResizeDialogTest {
  private static final VmRow WEB1 = new VmRow("web1", "u1", "node-a", "shutoff", 1, 256, 2, null, null, null,
      null, null, "novacron", null, null, null, null, "{}");

  @Test
  void sendsOnlyTheFieldsTheUserChanged() {
    ResizeDialog dialog = new ResizeDialog(WEB1);
    assertThat(dialog.request()).isEqualTo(new ResizeVmRequest("web1", null, null, null));

    field(dialog, "resize-memory").setValue(512);
    field(dialog, "resize-disk").setValue(4);

    assertThat(dialog.request()).isEqualTo(new ResizeVmRequest("web1", null, 512L, 4L));
  }

  @Test
  void marksTheRefusedField() {
    ResizeDialog dialog = new ResizeDialog(WEB1);
    dialog.showErrors(List.of(new FieldError("diskGib", "a disk only grows")), "diskGib: a disk only grows");

    assertThat(field(dialog, "resize-disk").isInvalid()).isTrue();
    assertThat(field(dialog, "resize-disk").getErrorMessage()).isEqualTo("a disk only grows");
    assertThat(field(dialog, "resize-vcpus").isInvalid()).isFalse();
  }

  private static IntegerField field(Component root, String id) {
    return find(root, id).map(IntegerField.class::cast).orElseThrow();
  }

  private static Optional<Component> find(Component root, String id) {
    if (root.getId().filter(id::equals).isPresent()) {
      return Optional.of(root);
    }
    return root.getChildren().map(child -> find(child, id)).flatMap(Optional::stream).findFirst();
  }
}
