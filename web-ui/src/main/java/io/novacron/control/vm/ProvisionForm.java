package io.novacron.control.vm;

import com.vaadin.flow.component.ComponentEvent;
import com.vaadin.flow.component.HasValue;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.textfield.IntegerField;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.data.binder.Binder;
import com.vaadin.flow.data.binder.BindingValidationStatus;
import com.vaadin.flow.data.validator.IntegerRangeValidator;
import com.vaadin.flow.data.validator.RegexpValidator;
import com.vaadin.flow.shared.Registration;
import io.novacron.workflows.Names;
import io.novacron.workflows.FieldError;
import io.novacron.workflows.provision.ProvisionVmRequest;
import io.novacron.workflows.provision.ProvisionVmValidator;
import java.util.List;
import java.util.Map;

/**
 * The provisioning form. The Binder applies the same limits as {@link ProvisionVmValidator}; a valid
 * form fires a {@link ProvisionEvent} and the view launches the run. Errors found later (a name
 * taken, an unknown node) come back through {@link #showErrors}.
 */
class ProvisionForm extends FormLayout {
  /** The form's values while being edited. */
  static final class Values {
    private String name = "";
    private Integer vcpus = 1;
    private Integer memoryMib = 256;
    private Integer diskGib = 1;
    private String image = "";
    private String node;

    ProvisionVmRequest toRequest() {
      return new ProvisionVmRequest(name, vcpus, memoryMib, diskGib, image, node);
    }
  }

  /** A valid request the user asked to launch. */
  static final class ProvisionEvent extends ComponentEvent<ProvisionForm> {
    private final ProvisionVmRequest request;

    ProvisionEvent(ProvisionForm source, ProvisionVmRequest request) {
      super(source, false);
      this.request = request;
    }

    ProvisionVmRequest request() {
      return request;
    }
  }

  private final TextField name = new TextField("Name");
  private final IntegerField vcpus = new IntegerField("vCPUs");
  private final IntegerField memoryMib = new IntegerField("Memory (MiB)");
  private final IntegerField diskGib = new IntegerField("Disk (GiB)");
  private final TextField image = new TextField("Image");
  private final ComboBox<String> node = new ComboBox<>("Node");
  private final Button launch = new Button("Provision");
  private final Binder<Values> binder = new Binder<>(Values.class);
  private Values values = new Values();

  ProvisionForm() {
    name.setId("provision-name");
    vcpus.setId("provision-vcpus");
    memoryMib.setId("provision-memory");
    diskGib.setId("provision-disk");
    image.setId("provision-image");
    node.setId("provision-node");
    launch.setId("provision-launch");
    name.setHelperText("lower-case letters, digits and '-'");
    image.setHelperText("empty for a blank disk");
    node.setHelperText("empty for automatic placement");
    node.setClearButtonVisible(true);
    configureBinder();
    launch.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
    launch.addClickListener(click -> submit());
    add(name, vcpus, memoryMib, diskGib, image, node, launch);
    setResponsiveSteps(new ResponsiveStep("0", 1), new ResponsiveStep("40em", 3));
  }

  private void configureBinder() {
    binder.forField(name).asRequired("name the VM")
        .withValidator(new RegexpValidator("lower-case letters, digits and '-', starting with a letter, at most 63",
            Names.NAME.pattern()))
        .bind(v -> v.name, (v, x) -> v.name = x);
    binder.forField(vcpus).asRequired("how many vCPUs")
        .withValidator(new IntegerRangeValidator("1 to " + ProvisionVmValidator.MAX_VCPUS, 1, ProvisionVmValidator.MAX_VCPUS))
        .bind(v -> v.vcpus, (v, x) -> v.vcpus = x);
    binder.forField(memoryMib).asRequired("how much memory")
        .withValidator(new IntegerRangeValidator(ProvisionVmValidator.MIN_MEMORY_MIB + " to " + ProvisionVmValidator.MAX_MEMORY_MIB + " MiB",
            (int) ProvisionVmValidator.MIN_MEMORY_MIB, (int) ProvisionVmValidator.MAX_MEMORY_MIB))
        .bind(v -> v.memoryMib, (v, x) -> v.memoryMib = x);
    binder.forField(diskGib).asRequired("how large a disk")
        .withValidator(new IntegerRangeValidator("1 to " + ProvisionVmValidator.MAX_DISK_GIB + " GiB", 1, (int) ProvisionVmValidator.MAX_DISK_GIB))
        .bind(v -> v.diskGib, (v, x) -> v.diskGib = x);
    binder.forField(image)
        .withValidator(text -> text == null || text.isEmpty() || Names.IMAGE.matcher(text).matches(),
            "an image name: lower-case letters, digits, '.', '_' and '-'")
        .bind(v -> v.image, (v, x) -> v.image = x);
    binder.forField(node).bind(v -> v.node, (v, x) -> v.node = x);
    binder.setBean(values);
  }

  void setNodes(List<String> names) {
    String selected = node.getValue();
    node.setItems(names);
    if (selected != null && names.contains(selected)) {
      node.setValue(selected);
    }
  }

  /** Starts over with the defaults, after a launch. */
  void reset() {
    values = new Values();
    binder.setBean(values);
  }

  /** Marks the fields a server-side check refused. */
  void showErrors(List<FieldError> errors) {
    Map<String, HasValue<?, ?>> fields = Map.of("name", name, "vcpus", vcpus, "memoryMib", memoryMib,
        "diskGib", diskGib, "image", image, "node", node);
    for (FieldError error : errors) {
      HasValue<?, ?> field = fields.get(error.field());
      if (field instanceof com.vaadin.flow.component.HasValidation invalid) {
        invalid.setErrorMessage(error.message());
        invalid.setInvalid(true);
      }
    }
  }

  private void submit() {
    if (binder.validate().isOk()) {
      fireEvent(new ProvisionEvent(this, values.toRequest()));
    } else {
      binder.validate().getFieldValidationErrors().stream()
          .map(BindingValidationStatus::getField).findFirst()
          .ifPresent(field -> ((com.vaadin.flow.component.Focusable<?>) field).focus());
    }
  }

  Registration addProvisionListener(com.vaadin.flow.component.ComponentEventListener<ProvisionEvent> listener) {
    return addListener(ProvisionEvent.class, listener);
  }
}
