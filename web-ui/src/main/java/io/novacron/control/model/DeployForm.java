package io.novacron.control.model;

import com.vaadin.flow.component.ComponentEvent;
import com.vaadin.flow.component.ComponentEventListener;
import com.vaadin.flow.component.HasValidation;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.combobox.MultiSelectComboBox;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.IntegerField;
import com.vaadin.flow.component.textfield.NumberField;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.shared.Registration;
import io.novacron.workflows.model.deploy.DeployModelRequest;
import io.novacron.workflows.model.deploy.ServingRuntime;
import io.novacron.workflows.model.deploy.ShardFormat;
import io.novacron.workflows.model.deploy.ServingSettings;
import io.novacron.workflows.FieldError;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The deployment form: the same {@link DeployModelRequest} as {@code POST /api/v1/deployments}. It
 * fires a {@link DeployEvent}; the view checks the request and starts the run, and reports refused
 * fields back through {@link #showErrors}.
 */
class DeployForm extends FormLayout {
  /** A request the user asked to launch. */
  static final class DeployEvent extends ComponentEvent<DeployForm> {
    private final DeployModelRequest request;

    DeployEvent(DeployForm source, DeployModelRequest request) {
      super(source, false);
      this.request = request;
    }

    DeployModelRequest request() {
      return request;
    }
  }

  /** The dtype select's empty choice: plan for what the checkpoint's config says. */
  private static final String CHECKPOINT_DTYPE = "";

  private final TextField name = new TextField("Deployment name");
  private final ComboBox<String> sourceNode = new ComboBox<>("Source node");
  private final TextField checkpoint = new TextField("Checkpoint");
  private final MultiSelectComboBox<String> nodes = new MultiSelectComboBox<>("Target nodes");
  private final Select<String> dtype = new Select<>();
  private final IntegerField context = new IntegerField("Context (tokens)");
  private final IntegerField batch = new IntegerField("Sequences per replica");
  private final Select<ServingRuntime> runtime = new Select<>();
  private final Select<ShardFormat> format = new Select<>();
  private final IntegerField port = new IntegerField("Port");
  private final NumberField simulatedGpu = new NumberField("Simulated GPU (GiB)");
  private final Paragraph otherErrors = new Paragraph();

  DeployForm() {
    name.setId("deploy-name");
    name.setHelperText("lower-case letters, digits and '-'");
    sourceNode.setId("deploy-source");
    sourceNode.setHelperText("its GPU agent reads and shards the checkpoint");
    checkpoint.setId("deploy-checkpoint");
    checkpoint.setHelperText("directory on the source node, absolute or relative to its agent's data directory");
    nodes.setId("deploy-nodes");
    dtype.setId("deploy-dtype");
    dtype.setLabel("Weights");
    dtype.setItems(CHECKPOINT_DTYPE, "bf16", "fp8", "int4");
    dtype.setItemLabelGenerator(value -> value.isEmpty() ? "as the checkpoint" : value);
    dtype.setValue(CHECKPOINT_DTYPE);
    context.setId("deploy-context");
    context.setValue(8192);
    batch.setId("deploy-batch");
    batch.setValue(1);
    runtime.setId("deploy-runtime");
    runtime.setLabel("Runtime");
    runtime.setItems(ServingRuntime.values());
    runtime.setItemLabelGenerator(value -> value == ServingRuntime.VLLM ? "vLLM" : "reference loader (no GPU needed)");
    runtime.setValue(ServingRuntime.VLLM);
    format.setId("deploy-format");
    format.setLabel("Files");
    format.setItems(ShardFormat.values());
    format.setItemLabelGenerator(value -> value == ShardFormat.NOVACRON
        ? "novacron (any TP x PP)" : "vllm-sharded-state (vLLM loads its own rank files; PP 1)");
    format.setValue(ShardFormat.NOVACRON);
    port.setId("deploy-port");
    port.setValue(ServingSettings.DEFAULT_PORT);
    port.setHelperText("0: each node's agent picks a free one");
    simulatedGpu.setId("deploy-simulated-gpu");
    simulatedGpu.setValue(0.0);
    simulatedGpu.setHelperText("reference loader only: plan each GPU-less node as one GPU of this size");
    otherErrors.setId("deploy-errors");
    otherErrors.getStyle().set("color", "var(--lumo-error-text-color)");
    Button deploy = new Button("Deploy", click -> fireEvent(new DeployEvent(this, request())));
    deploy.setId("deploy-launch");
    deploy.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
    add(name, sourceNode, checkpoint, nodes, dtype, context, batch, runtime, format, port, simulatedGpu, deploy,
        otherErrors);
    setColspan(otherErrors, 4);
    setResponsiveSteps(new ResponsiveStep("0", 1), new ResponsiveStep("40em", 4));
  }

  /** Offers the known nodes, keeping what is selected where it is still known. */
  void setNodes(List<String> known) {
    String source = sourceNode.getValue();
    var targets = nodes.getValue();
    sourceNode.setItems(known);
    nodes.setItems(known);
    if (source != null && known.contains(source)) {
      sourceNode.setValue(source);
    }
    nodes.setValue(targets.stream().filter(known::contains).collect(Collectors.toSet()));
  }

  /** Takes what the plan preview was asked for: the weight type, context and batch. */
  void prefill(String weights, Integer contextLength, Integer sequences) {
    if (weights != null) {
      dtype.setValue(weights);
    }
    context.setValue(contextLength);
    batch.setValue(sequences);
  }

  private DeployModelRequest request() {
    List<String> targets = new ArrayList<>(nodes.getValue());
    targets.sort(null);
    return new DeployModelRequest(name.getValue().strip(), sourceNode.getValue(), blankToNull(checkpoint.getValue()),
        blankToNull(dtype.getValue()), targets, orZero(context.getValue()), orZero(batch.getValue()),
        new ServingSettings(runtime.getValue(), null, orZero(port.getValue()), 0),
        simulatedGpu.getValue() == null ? 0 : simulatedGpu.getValue(), 0,
        format.getValue() == null ? null : format.getValue().label());
  }

  /** Marks the fields a check refused; those without a field here are listed under the form. */
  void showErrors(List<FieldError> errors) {
    Map<String, HasValidation> fields = Map.of("name", name, "sourceNode", sourceNode, "checkpoint", checkpoint,
        "nodes", nodes, "dtype", dtype, "contextLength", context, "batch", batch, "serving.port", port,
        "simulatedGpuMemoryGib", simulatedGpu, "format", format);
    for (HasValidation field : fields.values()) {
      field.setInvalid(false);
    }
    List<String> unplaced = new ArrayList<>();
    for (FieldError error : errors) {
      String key = error.field().startsWith("nodes[") ? "nodes" : error.field();
      HasValidation field = fields.get(key);
      if (field == null) {
        unplaced.add(error.toString());
      } else {
        field.setErrorMessage(error.field() + ": " + error.message());
        field.setInvalid(true);
      }
    }
    otherErrors.setText(String.join("; ", unplaced));
  }

  Registration addDeployListener(ComponentEventListener<DeployEvent> listener) {
    return addListener(DeployEvent.class, listener);
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.strip();
  }

  private static int orZero(Integer value) {
    return Objects.requireNonNullElse(value, 0);
  }
}
