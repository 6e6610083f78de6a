package io.novacron.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.novacron.workflows.run.RunState;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Follows a run until it ends, one progress line per change. A run in ATTENTION has not ended: it
 * waits for an operator, and the watcher says once how to answer it, then keeps following.
 */
final class RunWatcher {
  static final Duration POLL = Duration.ofMillis(500);

  private final ApiClient api;
  private final PrintStream out;

  RunWatcher(ApiClient api, PrintStream out) {
    this.api = api;
    this.out = out;
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
    String last = null;
    Map<String, String> shownItems = new HashMap<>();
    while (true) {
      ApiClient.Response response = api.get("/api/v1/runs/" + runId);
      if (response.status() == 404) {
        out.println("no run with id '" + runId + "'");
        return 1;
      }
      if (!response.ok()) {
        throw new IOException("GET /api/v1/runs/" + runId + " answered " + response.status() + ": " + response.body());
      }
      JsonNode run = response.body();
      String state = run.path("state").asText();
      String line = line(run, Duration.ofNanos(System.nanoTime() - started));
      String key = state + "/" + run.path("phase").asText();
      if (!key.equals(last)) {
        out.println(line);
        if (RunState.ATTENTION.name().equals(state)) {
          out.println("  waits for an operator: novacron runs resolve " + runId
              + " --action=retry|abandon|keep-source|keep-target");
        }
        last = key;
      }
      printItemChanges(run, shownItems);
      if (ended(state)) {
        return "SUCCEEDED".equals(state) ? 0 : 1;
      }
      if (untilPhase != null && untilPhase.equals(run.path("phase").asText())) {
        return 0;
      }
      Thread.sleep(POLL.toMillis());
    }
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

  static String line(JsonNode run, Duration elapsed) {
    StringBuilder line = new StringBuilder()
        .append(String.format("[%5.1fs] ", elapsed.toMillis() / 1000.0))
        .append(run.path("id").asText()).append("  ")
        .append(run.path("state").asText()).append("  phase=").append(run.path("phase").asText());
    if (!run.path("node").isMissingNode() && !run.path("node").isNull()) {
      line.append("  node=").append(run.path("node").asText());
    }
    if (!run.path("detail").isMissingNode() && !run.path("detail").isNull()) {
      line.append("  ").append(run.path("detail").asText());
    }
    return line.toString();
  }
}
