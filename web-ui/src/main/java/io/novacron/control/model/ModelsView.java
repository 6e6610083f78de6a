package io.novacron.control.model;

import io.novacron.control.ui.Units;

import io.novacron.control.shared.OrderCheck;

import io.novacron.control.ui.Ui;

import io.novacron.control.run.RunView;

import io.novacron.control.ui.MainLayout;

import com.vaadin.flow.spring.security.AuthenticationContext;
import io.novacron.control.audit.AuditLog;
import io.novacron.control.audit.Outcome;
import io.novacron.control.model.DeployOrders;
import io.novacron.control.inventory.NodeRepository;
import io.novacron.control.inventory.NodeRow;
import io.novacron.control.shared.RunLauncher;
import io.novacron.control.security.Role;
import io.novacron.workflows.model.deploy.DeployModelRequest;
import java.util.List;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.IntegerField;
import com.vaadin.flow.component.textfield.NumberField;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import jakarta.annotation.security.PermitAll;
import io.novacron.control.model.PlanPreviewRequest;
import io.novacron.control.model.PlanPreviews;
import io.novacron.workflows.model.KnownModels;
import io.novacron.workflows.model.MemoryEstimate;
import io.novacron.workflows.model.ParallelismPlan;
import io.novacron.workflows.model.RejectedAlternative;
import io.novacron.workflows.model.StagePlan;
import io.novacron.workflows.FieldError;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Plan preview: how a known model would be split over a described cluster, from the pure planner
 * (no deployment). Shows the chosen layout, memory per GPU of each stage as a bar against the GPU's
 * memory and the budget, and the layouts the planner rejected with its reasons. Below it, for
 * operators, the deploy form: a DeployModel run on real nodes, as {@code POST /api/v1/deployments}.
 */
@Route(value = "models", layout = MainLayout.class)
@PermitAll // any signed-in user; launching actions check the operator role (docs/security.md)
@PageTitle("Models - NovaCron")
public class ModelsView extends VerticalLayout {
  private final PlanPreviews previews;
  private final ComboBox<String> model = new ComboBox<>("Model");
  private final Select<String> dtype = new Select<>();
  private final IntegerField nodes = new IntegerField("Nodes");
  private final IntegerField gpusPerNode = new IntegerField("GPUs per node");
  private final NumberField gpuMemory = new NumberField("GPU memory (GiB)");
  private final IntegerField context = new IntegerField("Context (tokens)");
  private final IntegerField batch = new IntegerField("Sequences per replica");
  private final Div result = new Div();
  private final DeployForm deployForm = new DeployForm();
  private final DeployOrders deployOrders;
  private final RunLauncher launcher;
  private final AuditLog audit;

  ModelsView(PlanPreviews previews, DeployOrders deployOrders, RunLauncher launcher, NodeRepository nodeRows,
      AuthenticationContext authentication, AuditLog audit) {
    this.previews = previews;
    this.deployOrders = deployOrders;
    this.launcher = launcher;
    this.audit = audit;
    model.setItems(KnownModels.names());
    model.setValue(KnownModels.names().get(0));
    model.setId("plan-model");
    dtype.setLabel("Weights");
    dtype.setItems("bf16", "fp8", "int4");
    dtype.setValue("fp8");
    dtype.setId("plan-dtype");
    nodes.setValue(2);
    nodes.setId("plan-nodes");
    gpusPerNode.setValue(8);
    gpusPerNode.setId("plan-gpus");
    gpuMemory.setValue(80.0);
    gpuMemory.setId("plan-memory");
    context.setValue(8192);
    batch.setValue(1);
    Button plan = new Button("Plan", click -> plan());
    plan.setId("plan-run");
    plan.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
    FormLayout form = new FormLayout(model, dtype, nodes, gpusPerNode, gpuMemory, context, batch, plan);
    form.setResponsiveSteps(new FormLayout.ResponsiveStep("0", 1), new FormLayout.ResponsiveStep("40em", 4));
    result.setId("plan-result");
    result.setWidthFull();
    add(new H2("Model plan preview"), form, result);
    if (authentication.hasRole(Role.OPERATOR_NAME)) {
      deployForm.setNodes(nodeRows.findAllByOrderByName().stream().map(NodeRow::name).toList());
      deployForm.addDeployListener(event -> deploy(event.request()));
      Button fromPlan = new Button("Use the preview's weights, context and batch",
          click -> deployForm.prefill(dtype.getValue(), context.getValue(), batch.getValue()));
      fromPlan.setId("deploy-from-plan");
      fromPlan.addThemeVariants(ButtonVariant.LUMO_TERTIARY);
      add(new H2("Deploy a model"), new Paragraph("Shards a checkpoint on its node, plans it on the target"
          + " nodes' GPUs and serves it there; the run page follows it."), fromPlan, deployForm);
    } else {
      Paragraph note = new Paragraph("Deploying a model needs the operator role.");
      note.setId("models-read-only");
      add(note);
    }
  }

  /** The same checks as the REST API, then the same launcher; opens the run's page. */
  private void deploy(DeployModelRequest request) {
    OrderCheck<DeployModelRequest> checked = deployOrders.check(request);
    if (!checked.accepted()) {
      deployForm.showErrors(checked.errors().isEmpty()
          ? List.of(new FieldError("name", checked.message())) : checked.errors());
      return;
    }
    String runId = RunLauncher.runId("deploy", request.name(), null);
    launcher.deploy(runId, request);
    audit.recordDashboardAction("model.deploy", request.name(), Outcome.ACCEPTED, "run " + runId);
    getUI().ifPresent(ui -> ui.navigate(RunView.class, RunView.parameters(runId)));
  }

  private void plan() {
    PlanPreviews.Result answer = previews.preview(new PlanPreviewRequest(model.getValue(), dtype.getValue(),
        nodes.getValue(), gpusPerNode.getValue(), gpuMemory.getValue(), null, context.getValue(), batch.getValue(),
        null));
    result.removeAll();
    if (!answer.errors().isEmpty()) {
      result.add(new Paragraph(answer.errors().stream().map(FieldError::toString).collect(Collectors.joining("; "))));
      return;
    }
    ParallelismPlan plan = answer.plan();
    Span verdict = plan.fits() ? Ui.badge("fits", "success") : Ui.badge("does not fit", "error");
    verdict.setId("plan-verdict");
    result.add(new Paragraph(verdict, new Span(String.format(Locale.ROOT,
        "  TP %d x PP %d = %d GPUs per replica, %d replicas on %d GPUs; %s per GPU, budget %s (%.0f%% of %s)%s;"
            + " up to %d sequences at full context",
        plan.tp(), plan.pp(), plan.gpusPerReplica(), plan.replicas(), plan.gpusAvailable(),
        Units.gibibytes(plan.peakPerGpu().totalGib()), Units.gibibytes(plan.budgetGib()), plan.request().utilizationCap() * 100,
        Units.gibibytes(plan.gpuMemoryGib()), plan.fits() ? "" : ", short by " + Units.gibibytes(plan.shortfallGib()),
        plan.maxSequencesAtContext()))));
    result.add(new H3("Stages"), stageGrid(plan), new H3("Memory per GPU"), memoryChart(plan),
        new H3("Rejected alternatives"), rejectedGrid(plan));
  }

  private static Grid<StagePlan> stageGrid(ParallelismPlan plan) {
    Grid<StagePlan> grid = new Grid<>();
    grid.setId("plan-stages");
    grid.setAllRowsVisible(true);
    grid.addThemeVariants(com.vaadin.flow.component.grid.GridVariant.LUMO_WRAP_CELL_CONTENT);
    grid.addColumn(StagePlan::stage).setHeader("Stage");
    grid.addColumn(s -> s.layers().toString()).setHeader("Layers");
    grid.addColumn(s -> (s.embeddings() ? "embeddings " : "") + (s.lmHead() ? "lm_head" : "")).setHeader("Also holds");
    grid.addColumn(s -> Units.gibibytes(s.perGpu().weightsGib())).setHeader("Weights / GPU");
    grid.addColumn(s -> Units.gibibytes(s.perGpu().kvCacheGib())).setHeader("KV cache / GPU");
    grid.addColumn(s -> Units.gibibytes(s.perGpu().runtimeGib())).setHeader("Runtime / GPU");
    grid.addColumn(s -> Units.gibibytes(s.perGpu().totalGib())).setHeader("Total / GPU");
    grid.setItems(plan.stages());
    return grid;
  }

  /**
   * One horizontal bar per stage, scaled to the GPU's memory: weights, KV cache and runtime as
   * stacked segments, the budget as a vertical line. Plain divs and inline CSS.
   */
  private static Div memoryChart(ParallelismPlan plan) {
    Div chart = new Div();
    chart.setId("plan-chart");
    double scale = Math.max(plan.gpuMemoryGib(), plan.peakPerGpu().totalGib());
    for (StagePlan stage : plan.stages()) {
      MemoryEstimate gpu = stage.perGpu();
      Div bar = new Div(segment(gpu.weightsGib(), scale, "var(--lumo-primary-color)", "weights"),
          segment(gpu.kvCacheGib(), scale, "var(--lumo-success-color)", "KV cache"),
          segment(gpu.runtimeGib(), scale, "var(--lumo-contrast-50pct)", "runtime"));
      bar.getStyle().set("position", "relative").set("display", "flex").set("height", "1.4em")
          .set("width", "100%").set("background", "var(--lumo-contrast-5pct)");
      Div budget = new Div();
      budget.getStyle().set("position", "absolute").set("top", "0").set("bottom", "0")
          .set("left", percent(plan.budgetGib(), scale)).set("border-left", "2px dashed var(--lumo-error-color)");
      budget.getElement().setAttribute("title", "budget " + Units.gibibytes(plan.budgetGib()));
      bar.add(budget);
      Span label = new Span("stage " + stage.stage() + ": " + Units.gibibytes(gpu.totalGib()) + " of " + Units.gibibytes(plan.gpuMemoryGib()));
      label.getStyle().set("font-size", "var(--lumo-font-size-s)");
      Div row = new Div(label, bar);
      row.addClassName("plan-bar");
      row.getStyle().set("margin-bottom", "var(--lumo-space-s)");
      chart.add(row);
    }
    Span legend = new Span("weights (blue), KV cache (green), runtime (grey); dashed line: budget");
    legend.getStyle().set("font-size", "var(--lumo-font-size-xs)");
    chart.add(legend);
    chart.setWidthFull();
    return chart;
  }

  private static Div segment(double gib, double scale, String colour, String what) {
    Div segment = new Div();
    segment.getStyle().set("width", percent(gib, scale)).set("background", colour);
    segment.getElement().setAttribute("title", what + " " + Units.gibibytes(gib));
    return segment;
  }

  private static String percent(double part, double whole) {
    return String.format(Locale.ROOT, "%.2f%%", whole <= 0 ? 0 : Math.min(100, 100 * part / whole));
  }

  private static Grid<RejectedAlternative> rejectedGrid(ParallelismPlan plan) {
    Grid<RejectedAlternative> grid = new Grid<>();
    grid.setId("plan-rejected");
    grid.setAllRowsVisible(true);
    grid.addThemeVariants(com.vaadin.flow.component.grid.GridVariant.LUMO_WRAP_CELL_CONTENT);
    grid.addColumn(RejectedAlternative::tp).setHeader("TP").setAutoWidth(true);
    grid.addColumn(r -> r.pp() == 0 ? "-" : String.valueOf(r.pp())).setHeader("PP").setAutoWidth(true);
    grid.addColumn(RejectedAlternative::reason).setHeader("Why not").setFlexGrow(4);
    grid.setItems(plan.rejected());
    return grid;
  }
}
