package io.novacron.control.vm;

import com.vaadin.flow.component.ComponentEvent;
import com.vaadin.flow.component.ComponentEventListener;
import com.vaadin.flow.component.HasValidation;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.textfield.IntegerField;
import com.vaadin.flow.shared.Registration;
import io.novacron.control.inventory.VmRow;
import io.novacron.workflows.FieldError;
import io.novacron.workflows.resize.ResizeVmRequest;
import java.util.List;
import java.util.Map;

/**
 * Asks for a VM's new vCPUs, memory and disk, filled with what it has. Fires a {@link ResizeOrderEvent}
 * with only the fields the user changed; whoever listens checks and starts the run, and reports
 * refusals back through {@link #showErrors}.
 */
class ResizeDialog extends Dialog {
  /** A resize the user asked to start. */
  static final class ResizeOrderEvent extends ComponentEvent<ResizeDialog> {
    private final ResizeVmRequest request;

    ResizeOrderEvent(ResizeDialog source, ResizeVmRequest request) {
      super(source, false);
      this.request = request;
    }

    ResizeVmRequest request() {
      return request;
    }
  }

  private final VmRow vm;
  private final IntegerField vcpus = new IntegerField("vCPUs");
  private final IntegerField memoryMib = new IntegerField("Memory (MiB)");
  private final IntegerField diskGib = new IntegerField("Disk (GiB, only grows)");
  private final Paragraph problem = new Paragraph();

  ResizeDialog(VmRow vm) {
    this.vm = vm;
    setHeaderTitle("Resize " + vm.name());
    setId("resize-dialog");
    vcpus.setId("resize-vcpus");
    memoryMib.setId("resize-memory");
    diskGib.setId("resize-disk");
    vcpus.setValue(vm.vcpus());
    memoryMib.setValue((int) vm.memoryMib());
    diskGib.setValue((int) vm.diskGib());
    problem.setId("resize-problem");
    problem.getStyle().set("color", "var(--lumo-error-text-color)");
    Paragraph note = new Paragraph("Everything changes only while the VM is stopped; the disk only grows.");
    add(note, new FormLayout(vcpus, memoryMib, diskGib), problem);
    Button start = new Button("Resize", click -> fireEvent(new ResizeOrderEvent(this, request())));
    start.setId("resize-start");
    start.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
    getFooter().add(new Button("Close", click -> close()), start);
  }

  /** Only what changed, so that the run's input says what the user asked for. */
  ResizeVmRequest request() {
    Integer cpus = changed(vcpus.getValue(), vm.vcpus());
    Integer memory = changed(memoryMib.getValue(), vm.memoryMib());
    Integer disk = changed(diskGib.getValue(), vm.diskGib());
    return new ResizeVmRequest(vm.name(), cpus, memory == null ? null : memory.longValue(),
        disk == null ? null : disk.longValue());
  }

  private static Integer changed(Integer value, long current) {
    return value == null || value == current ? null : value;
  }

  /** Marks the fields the check refused; a refusal of the whole order shows below the fields. */
  void showErrors(List<FieldError> errors, String message) {
    Map<String, HasValidation> fields = Map.of("vcpus", vcpus, "memoryMib", memoryMib, "diskGib", diskGib);
    for (FieldError error : errors) {
      HasValidation field = fields.get(error.field());
      if (field != null) {
        field.setErrorMessage(error.message());
        field.setInvalid(true);
      }
    }
    problem.setText(message);
  }

  Registration addOrderListener(ComponentEventListener<ResizeOrderEvent> listener) {
    return addListener(ResizeOrderEvent.class, listener);
  }
}
