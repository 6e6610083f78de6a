package io.novacron.control.run;

import io.novacron.workflows.migrate.MigrateVmWorkflow;
import io.novacron.workflows.migrate.Resolution;
import io.novacron.workflows.run.RunState;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.springframework.stereotype.Service;

/**
 * An operator's answer to a run that waits in ATTENTION: checked against the run record, then sent
 * to the workflow, whose validator has the last word. The REST API
 * ({@code POST /api/v1/runs/{id}/resolve}) and the run page both go through here, so that they
 * refuse the same things with the same words. The actions are spelled as the API and the CLI take
 * them: {@code retry}, {@code abandon}, {@code keep-source}, {@code keep-target}.
 */
@Service
public class RunResolutions {
  /** What became of a resolution. */
  public enum Verdict {
    /** The run took it; the message is its answer. */
    RESOLVED,
    /** No run has that id (404). */
    UNKNOWN_RUN,
    /** The run does not wait for an operator, or its validator refused this resolution (409). */
    REFUSED
  }

  /** The verdict and a sentence for the operator: the run's answer, or why it was not taken. */
  public record Outcome(Verdict verdict, String message) {}

  private final RunRepository runs;
  private final RunControl control;

  RunResolutions(RunRepository runs, RunControl control) {
    this.runs = runs;
    this.control = control;
  }

  public Outcome resolve(String runId, Resolution resolution) {
    Optional<RunRow> run = runs.findById(runId);
    if (run.isEmpty()) {
      return control.exists(runId)
          ? refused("run '" + runId + "' has not recorded its first phase yet; it does not wait for an operator")
          : new Outcome(Verdict.UNKNOWN_RUN, "no run with id '" + runId + "'");
    }
    if (!RunState.ATTENTION.name().equals(run.get().state())) {
      return refused("run '" + runId + "' is " + run.get().state() + ", not waiting for an operator (ATTENTION);"
          + " only a run in ATTENTION takes a resolution");
    }
    if (!MigrateVmWorkflow.TYPE.equals(run.get().type())) {
      return refused("run '" + runId + "' is a " + run.get().type() + "; only a MigrateVm run takes resolutions");
    }
    try {
      return new Outcome(Verdict.RESOLVED, control.resolve(runId, resolution));
    } catch (ResolutionRefusedException e) {
      return refused(e.getMessage());
    }
  }

  /** The action's name in the API and the CLI: {@code KEEP_SOURCE} is {@code keep-source}. */
  public static String action(Resolution resolution) {
    return resolution.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** The resolution an action names; empty for anything else. */
  public static Optional<Resolution> parse(String action) {
    return Arrays.stream(Resolution.values()).filter(r -> action(r).equals(action)).findFirst();
  }

  /** Every action, in the enum's order. */
  public static List<String> actions() {
    return Arrays.stream(Resolution.values()).map(RunResolutions::action).toList();
  }

  private static Outcome refused(String why) {
    return new Outcome(Verdict.REFUSED, why);
  }
}
