package io.novacron.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.novacron.workflows.run.RunState;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Follows a run until it ends. On a terminal the progress line (state, phase, and with byte
 * progress: bytes, %, rate, ETA) is redrawn in place with {@code \r}; otherwise (a pipe, a log,
 * CI) one plain line is printed per change, so nothing but whole lines reaches a file. A run in
 * ATTENTION has not ended: it waits for an operator, and the watcher says once how to answer it,
 * then keeps following.
 */
final class RunWatcher {
  static final Duration POLL = Duration.ofMillis(500);

  /** Waits between polls; tests pass one that does not sleep. */
  @FunctionalInterface
  interface Pause {
    void pause(Duration duration) throws InterruptedException;
  }

  private final ApiClient api;
  private final PrintStream out;
  private final boolean terminal;
  private final Pause pause;
  /** The width of the line last drawn in place, to blank what a shorter line leaves. */
  private int drawn;

  RunWatcher(ApiClient api, PrintStream out, boolean terminal, Pause pause) {
    this.api = api;
    this.out = out;
    this.terminal = terminal;
    this.pause = pause;
  }

  /** A watcher that redraws in place when this process's stdout is a terminal. */
  static RunWatcher forConsole(ApiClient api, PrintStream out) {
    return new RunWatcher(api, out, System.console() != null, d -> Thread.sleep(d.toMillis()));
  }

  /** Returns 0 when the run succeeded, 1 when it failed or was cancelled. */
  int watch(String runId) throws IOException, InterruptedException {
    return watch(runId, null);
  }

  /**
   * As {@link #watch(String)}, and also returns 0 once a running run enters {@code untilPhase} (a
   * deployment's {@code serving}: it runs on while the model serves).
   */
  int watch(String runId, String untilPhase) throws IOException, InterruptedException {
    long started = System.nanoTime();
    String lastStep = null;
    String lastProgress = null;
    Map<String, String> shownItems = new HashMap<>();
    while (true) {
      ApiClient.Response response = api.get("/api/v1/runs/" + runId);
      if (response.status() == 404) {
        endLine();
        out.println("no run with id '" + runId + "'");
        return ExitCodes.FAILED;
      }
      if (!response.ok()) {
        throw ApiRefusal.of(response);
      }
      JsonNode run = response.body();
      String state = run.path("state").asText();
      String line = line(run, Duration.ofNanos(System.nanoTime() - started));
      String step = state + "/" + run.path("phase").asText();
      String progress = progressKey(run.path("progress"));
      if (!step.equals(lastStep)) {
        endLine();
        show(line);
        if (RunState.ATTENTION.name().equals(state)) {
          endLine();
          out.println("  waits for an operator: novacron runs resolve " + runId
              + " --action=retry|abandon|keep-source|keep-target");
        }
      } else if (terminal) {
        show(line);
      } else if (!progress.equals(lastProgress)) {
        show(line);
      }
      lastStep = step;
      lastProgress = progress;
      printItemChanges(run, shownItems);
      if (ended(state)) {
        endLine();
        return "SUCCEEDED".equals(state) ? ExitCodes.OK : ExitCodes.FAILED;
      }
      if (untilPhase != null && untilPhase.equals(run.path("phase").asText())) {
        endLine();
        return ExitCodes.OK;
      }
      pause.pause(POLL);
    }
  }

  /** On a terminal: redraws the current line; otherwise prints it as a line of its own. */
  private void show(String line) {
    if (!terminal) {
      out.println(line);
      return;
    }
    out.print("\r" + line + " ".repeat(Math.max(0, drawn - line.length())));
    out.flush();
    drawn = line.length();
  }

  /** Ends a line drawn in place, so what follows starts on a line of its own. */
  private void endLine() {
    if (terminal && drawn > 0) {
      out.println();
      drawn = 0;
    }
  }

  /**
   * What counts as a change of byte progress in plain output: the phase and the whole percent,
   * so a log gets at most about a hundred lines per phase, not one per poll.
   */
  private static String progressKey(JsonNode progress) {
    return progress.isObject()
        ? progress.path("phase").asText() + "/" + (long) Math.floor(progress.path("percent").asDouble()) : "";
  }

  /**
   * One line per item of a parent run (a drain's or a rebalance's VMs) whose state or target
   * changed since the last poll: {@code   web-1: moving -> lab-b (live move to lab-b)}.
   */
  private void printItemChanges(JsonNode run, Map<String, String> shown) {
    for (JsonNode item : run.path("items")) {
      String target = item.path("target").isTextual() ? " -> " + item.path("target").asText() : "";
      String now = item.path("state").asText() + target;
      if (!now.equals(shown.put(item.path("item").asText(), now))) {
        String detail = item.path("detail").isTextual() ? " (" + item.path("detail").asText() + ")" : "";
        endLine();
        out.println("  " + item.path("item").asText() + ": " + now + detail);
      }
    }
  }

  /** Whether a run in {@code state} is over; a state this CLI does not know is taken as not over. */
  static boolean ended(String state) {
    for (RunState known : RunState.values()) {
      if (known.name().equals(state)) {
        return known.isTerminal();
      }
    }
    return false;
  }

  /**
   * {@code [  5.0s] migrate-web1-…  RUNNING  phase=copy  node=lab-a  copy-memory 1.2 GiB/4 GiB 30%
   * 112 MiB/s ETA 25s}; the run's detail where it has no byte progress.
   */
  static String line(JsonNode run, Duration elapsed) {
    StringBuilder line = new StringBuilder()
        .append(String.format("[%5.1fs] ", elapsed.toMillis() / 1000.0))
        .append(run.path("id").asText()).append("  ")
        .append(run.path("state").asText()).append("  phase=").append(run.path("phase").asText());
    if (!run.path("node").isMissingNode() && !run.path("node").isNull()) {
      line.append("  node=").append(run.path("node").asText());
    }
    String progress = ProgressText.of(run.path("progress"));
    if (progress != null) {
      line.append("  ").append(progress);
    } else if (!run.path("detail").isMissingNode() && !run.path("detail").isNull()) {
      line.append("  ").append(run.path("detail").asText());
    }
    return line.toString();
  }
}
