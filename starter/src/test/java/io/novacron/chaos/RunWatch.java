package io.novacron.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A run followed through the REST API, as every case of the matrix follows its run. */
final class RunWatch {
  static final List<String> ENDED = List.of("SUCCEEDED", "FAILED", "CANCELLED");
  /** How long a run may take to end once everything runs again. */
  private static final Duration SETTLE_LIMIT = Duration.ofMinutes(6);

  private final ChaosStack stack;

  RunWatch(ChaosStack stack) {
    this.stack = stack;
  }

  /** The phase appeared in the run's timeline (even if the run moved on since); false once it ended without. */
  boolean awaitPhase(String runId, String phase) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
    while (System.nanoTime() < deadline) {
      JsonNode run = stack.getOrNull("/api/v1/runs/" + runId);
      if (run != null) {
        for (JsonNode event : run.path("timeline")) {
          if (phase.equals(event.path("phase").asText())) {
            return true;
          }
        }
        if (ENDED.contains(run.get("state").asText())) {
          return false;
        }
      }
      Thread.sleep(40);
    }
    return false;
  }

  /** The run once it has ended, or its record (or null) when it did not end within the limit. */
  JsonNode awaitEnd(String runId) throws Exception {
    long deadline = System.nanoTime() + SETTLE_LIMIT.toNanos();
    while (System.nanoTime() < deadline) {
      JsonNode run = stack.getOrNull("/api/v1/runs/" + runId);
      if (run != null && ENDED.contains(run.get("state").asText())) {
        return run;
      }
      Thread.sleep(200);
    }
    return stack.getOrNull("/api/v1/runs/" + runId);
  }

  /** The run's state, "unended" where it has no record. */
  static String state(JsonNode run) {
    return run == null ? "unended" : run.get("state").asText();
  }

  /** The run's headline, empty where it has none. */
  static String headline(JsonNode run) {
    JsonNode detail = run == null ? null : run.get("detail");
    return detail == null || detail.isNull() ? "" : detail.asText();
  }

  static boolean pause(long ms) throws InterruptedException {
    Thread.sleep(ms);
    return true;
  }
}
