package io.novacron.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;

/** Follows a run until it ends, one progress line per change. */
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
        last = key;
      }
      if (!"RUNNING".equals(state) && !"QUEUED".equals(state)) {
        return "SUCCEEDED".equals(state) ? 0 : 1;
      }
      if (untilPhase != null && untilPhase.equals(run.path("phase").asText())) {
        return 0;
      }
      Thread.sleep(POLL.toMillis());
    }
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
