package io.novacron.control.migrate;

import com.vaadin.flow.component.ComponentEvent;
import com.vaadin.flow.component.ComponentEventListener;
import com.vaadin.flow.component.HasValidation;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.IntegerField;
import com.vaadin.flow.shared.Registration;
import io.novacron.control.inventory.VmRow;
import io.novacron.control.migrate.MigrationOrder;
import io.novacron.workflows.migrate.Compression;
import io.novacron.workflows.migrate.MigrationMode;
import io.novacron.workflows.migrate.MigrationOptions;
import io.novacron.workflows.migrate.TimeoutAction;
import io.novacron.workflows.FieldError;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Asks where and how to move one VM: target node, mode and the main options. Fires a
 * {@link MigrateEvent}; the view checks the order and starts the run, and reports refused fields
 * back through {@link #showErrors}.
 */
public class MigrateDialog extends Dialog {
  /** An order the user asked to start. */
  public static final class MigrateEvent extends ComponentEvent<MigrateDialog> {
    private final MigrationOrder order;

  public MigrateEvent(MigrateDialog source, MigrationOrder order) {
      super(source, false);
      this.order = order;
    }

    public MigrationOrder order() {
      return order;
    }
  }

  private final VmRow vm;
  private final ComboBox<String> target = new ComboBox<>("Target node");
  private final Select<MigrationMode> mode = new Select<>();
  private final IntegerField bandwidth = new IntegerField("Bandwidth cap (MiB/s, 0 = none)");
  private final IntegerField maxDowntime = new IntegerField("Max downtime (ms, 0 = libvirt's)");
  private final IntegerField parallel = new IntegerField("Parallel connections");
  private final Select<Compression> compression = new Select<>();
  private final Select<TimeoutAction> onTimeout = new Select<>();
  private final Checkbox autoConverge = new Checkbox("Auto-converge");
  private final Checkbox postCopy = new Checkbox("Allow post-copy");
  private final IntegerField downtimeSteps = new IntegerField("Downtime steps (1 = max downtime at once)");
  private final Select<DiskPrecopy> precopyDisk = new Select<>();

  /** The request's {@code precopyDisk}: left to the disk (not sent), or asked for either way. */
  enum DiskPrecopy {
    BY_DISK("unless the disk stands alone, holds little and the move is not capped", null),
    ALWAYS("always", true),
    NEVER("never: libvirt mirrors the disk", false);

    final String label;
    final Boolean asked;

    DiskPrecopy(String label, Boolean asked) {
      this.label = label;
      this.asked = asked;
    }
  }

  public MigrateDialog(VmRow vm, List<String> nodes) {
    this.vm = vm;
    setHeaderTitle("Migrate " + vm.name() + " from " + vm.node());
    setId("migrate-dialog");
    target.setId("migrate-target");
    target.setItems(nodes.stream().filter(n -> !n.equals(vm.node())).toList());
    mode.setId("migrate-mode");
    mode.setLabel("Mode");
    mode.setItems(MigrationMode.values());
    mode.setItemLabelGenerator(MigrateDialog::label);
    mode.setValue(MigrationMode.LIVE);
    mode.setHelperText("live: copied while running; warm: paused, memory and disk streamed, resumed; cold: shut down, copied, started");
    compression.setLabel("Compression");
    compression.setItems(Compression.values());
    compression.setItemLabelGenerator(MigrateDialog::label);
    compression.setValue(Compression.NONE);
    onTimeout.setLabel("On timeout or stall");
    onTimeout.setItems(TimeoutAction.values());
    onTimeout.setItemLabelGenerator(MigrateDialog::label);
    onTimeout.setValue(TimeoutAction.ABORT);
    bandwidth.setValue(0);
    maxDowntime.setValue(0);
    parallel.setValue(1);
    downtimeSteps.setValue(1);
    downtimeSteps.setId("migrate-downtime-steps");
    precopyDisk.setLabel("Pre-copy the disk while the guest runs");
    precopyDisk.setItems(DiskPrecopy.values());
    precopyDisk.setItemLabelGenerator(choice -> choice.label);
    precopyDisk.setValue(DiskPrecopy.BY_DISK);
    precopyDisk.setId("migrate-precopy");
    mode.addValueChangeListener(change -> {
      boolean live = change.getValue() != MigrationMode.COLD;
      for (var field : List.of(bandwidth, maxDowntime, parallel)) {
        field.setEnabled(live);
      }
      compression.setEnabled(live);
      onTimeout.setEnabled(live);
      autoConverge.setEnabled(live);
      postCopy.setEnabled(live);
      // Only a live move has a switch-over pause to step and a disk to pre-copy.
      downtimeSteps.setEnabled(change.getValue() == MigrationMode.LIVE);
      precopyDisk.setEnabled(change.getValue() == MigrationMode.LIVE);
    });
    FormLayout form = new FormLayout(target, mode, bandwidth, maxDowntime, parallel, compression, onTimeout,
        downtimeSteps, autoConverge, postCopy, precopyDisk);
    form.setResponsiveSteps(new FormLayout.ResponsiveStep("0", 1), new FormLayout.ResponsiveStep("30em", 2));
    add(form);
    Button start = new Button("Migrate", click -> fireEvent(new MigrateEvent(this, order())));
    start.setId("migrate-start");
    start.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
    Button close = new Button("Close", click -> close());
    getFooter().add(close, start);
  }

  private MigrationOrder order() {
    MigrationOptions options = MigrationOptions.defaults()
        .withBandwidthMiBps(bandwidth.getValue())
        .withParallelConnections(parallel.getValue())
        .withCompression(compression.getValue())
        .withAutoConverge(autoConverge.getValue())
        .withPostCopy(postCopy.getValue())
        .withMaxDowntimeMs(maxDowntime.getValue())
        .withOnTimeout(onTimeout.getValue())
        .withPrecopyDisk(precopyDisk.getValue() == null ? null : precopyDisk.getValue().asked)
        .withDowntimeSteps(downtimeSteps.getValue());
    return new MigrationOrder(vm.name(), target.getValue(), mode.getValue(), options);
  }

  /** Marks the fields the check refused; errors without a field here go to the target node. */
  public void showErrors(List<FieldError> errors) {
    Map<String, HasValidation> fields = Map.of("targetNode", target, "mode", mode,
        "options.bandwidthMiBps", bandwidth, "options.maxDowntimeMs", maxDowntime,
        "options.parallelConnections", parallel, "options.downtimeSteps", downtimeSteps);
    for (FieldError error : errors) {
      HasValidation field = fields.getOrDefault(error.field(), target);
      field.setErrorMessage(error.field() + ": " + error.message());
      field.setInvalid(true);
    }
  }

  public Registration addMigrateListener(ComponentEventListener<MigrateEvent> listener) {
    return addListener(MigrateEvent.class, listener);
  }

  private static String label(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
