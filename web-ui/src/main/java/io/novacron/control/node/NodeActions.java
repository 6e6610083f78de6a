package io.novacron.control.node;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;

import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Pre;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import com.vaadin.flow.component.select.Select;
import io.novacron.control.audit.AuditLog;
import io.novacron.control.audit.Outcome;
import io.novacron.control.fleet.FleetOrders;
import io.novacron.control.inventory.NodeRow;
import io.novacron.control.run.RunView;
import io.novacron.control.shared.ConflictException;
import io.novacron.control.shared.NotFoundException;
import io.novacron.workflows.fleet.DrainNodeRequest;
import io.novacron.workflows.fleet.DrainPolicy;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/**
 * The Nodes page's cordon, uncordon and drain buttons: each asks for a confirmation that says what
 * it does (a drain shows its plan first), then goes through the same services as the REST API, with
 * an audit row. Only for operators: the view shows them to no one else.
 */
@Component
public class NodeActions {
  private final NodeCordons cordons;
  private final FleetOrders fleet;
  private final AuditLog audit;

  NodeActions(NodeCordons cordons, FleetOrders fleet, AuditLog audit) {
    this.cordons = cordons;
    this.fleet = fleet;
    this.audit = audit;
  }

  /** Cordon or uncordon (whichever applies), then drain; {@code changed} runs after a change. */
  public Button[] buttons(NodeRow node, Runnable changed) {
    Button cordon = node.cordoned()
        ? button("Uncordon", "uncordon-" + node.name(), () -> confirmUncordon(node, changed))
        : button("Cordon", "cordon-" + node.name(), () -> confirmCordon(node, changed));
    Button drain = button("Drain…", "drain-" + node.name(), () -> confirmDrain(node));
    return new Button[] {cordon, drain};
  }

  private static Button button(String label, String id, Runnable action) {
    Button button = new Button(label, click -> action.run());
    button.setId(id);
    button.addThemeVariants(ButtonVariant.LUMO_SMALL);
    return button;
  }

  private void confirmCordon(NodeRow node, Runnable changed) {
    confirm("Cordon " + node.name() + "?", new Paragraph("New VMs and migrations will not be placed on "
        + node.name() + ". The VMs on it keep running."), "Cordon", () -> {
          cordons.cordon(node.name(), "cordoned from the dashboard");
          audit.recordDashboardAction("node.cordon", node.name(), Outcome.ACCEPTED, null);
          changed.run();
        });
  }

  private void confirmUncordon(NodeRow node, Runnable changed) {
    confirm("Uncordon " + node.name() + "?", new Paragraph(node.name() + " is cordoned (" + node.cordon()
        + "). Placement may put new VMs there again."), "Uncordon", () -> {
          cordons.uncordon(node.name());
          audit.recordDashboardAction("node.uncordon", node.name(), Outcome.ACCEPTED, null);
          changed.run();
        });
  }

  /** Shows the plan for the chosen policy; the run starts only on confirm. */
  private void confirmDrain(NodeRow node) {
    Select<DrainPolicy> policy = new Select<>();
    policy.setId("drain-policy");
    policy.setLabel("When a live move fails");
    policy.setItems(Arrays.asList(DrainPolicy.values()));
    policy.setItemLabelGenerator(p -> switch (p) {
      case LIVE_OR_FAIL -> "live-or-fail: stop the drain";
      case LIVE_THEN_COLD -> "live-then-cold: move it cold (downtime)";
      case SKIP -> "skip: leave it, go on";
    });
    policy.setValue(DrainPolicy.LIVE_OR_FAIL);
    Pre plan = new Pre();
    plan.setId("drain-plan");
    policy.addValueChangeListener(event -> plan.setText(planText(node.name(), event.getValue())));
    plan.setText(planText(node.name(), DrainPolicy.LIVE_OR_FAIL));
    confirm("Drain " + node.name() + "?", new Div(new Paragraph("Cordons " + node.name() + ", then moves every VM"
        + " off it (a VM's label " + DrainPolicy.LABEL + " overrides the policy). It stays cordoned afterwards."),
        policy, plan), "Drain", () -> {
          String runId = fleet.startDrain(new DrainNodeRequest(node.name(), policy.getValue(), null, false, null), null);
          audit.recordDashboardAction("node.drain", node.name(), Outcome.ACCEPTED, "run " + runId);
          UI.getCurrent().navigate(RunView.class, RunView.parameters(runId));
        });
  }

  /** The plan as the CLI prints it: each move in order, then what stays and why. */
  String planText(String node, DrainPolicy policy) {
    FleetOrders.DrainPreview preview = fleet.previewDrain(node, policy);
    StringBuilder text = new StringBuilder(preview.summary());
    for (int i = 0; i < preview.moves().size(); i++) {
      var m = preview.moves().get(i);
      text.append("\n").append(i + 1).append(". ").append(m.vm()).append(" -> ").append(m.target())
          .append(" (").append(m.why()).append(")");
    }
    if (!preview.stays().isEmpty()) {
      text.append("\nstays:\n").append(preview.stays().stream().map(s -> "  " + s.vm() + ": " + s.reason())
          .collect(Collectors.joining("\n")));
    }
    return text.toString();
  }

  /** A dialog that says what the action does; {@code action} runs only on its confirm button. */
  private static void confirm(String header, com.vaadin.flow.component.Component body, String confirmText,
      Runnable action) {
    Dialog dialog = new Dialog();
    dialog.setId("node-action-dialog");
    dialog.setHeaderTitle(header);
    dialog.add(body);
    Button yes = new Button(confirmText, click -> {
      dialog.close();
      act(action);
    });
    yes.setId("node-action-confirm");
    yes.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
    Button no = new Button("Cancel", click -> dialog.close());
    no.setId("node-action-cancel");
    dialog.getFooter().add(no, yes);
    dialog.open();
  }

  /** Runs an action; a refusal (unknown node, a drain in the way) shows as a notification. */
  private static void act(Runnable action) {
    try {
      action.run();
    } catch (ConflictException | NotFoundException e) {
      Notification note = Notification.show(e.getMessage(), 8000, Notification.Position.BOTTOM_END);
      note.addThemeVariants(NotificationVariant.LUMO_ERROR);
    }
  }
}
