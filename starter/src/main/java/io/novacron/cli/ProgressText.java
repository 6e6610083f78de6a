package io.novacron.cli;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A run's byte progress (the run record's optional {@code progress} object) as one line:
 * {@code copy-memory 1.2 GiB/4 GiB 30% 112 MiB/s ETA 25s}.
 */
final class ProgressText {
  private ProgressText() {}

  /** The line, or null when the run reports no byte progress. */
  static String of(JsonNode progress) {
    if (!progress.isObject()) {
      return null;
    }
    StringBuilder line = new StringBuilder();
    if (progress.path("phase").isTextual()) {
      line.append(progress.path("phase").asText()).append(' ');
    }
    line.append(Units.bytes(progress.path("bytesProcessed").asLong())).append('/')
        .append(Units.bytes(progress.path("bytesTotal").asLong())).append(' ')
        .append(Units.percent(progress.path("percent").asDouble())).append(' ')
        .append(Units.rate(progress.path("bytesPerSecond").asLong())).append(' ');
    if (progress.path("etaSeconds").isNumber()) {
      line.append("ETA ").append(Units.seconds(progress.path("etaSeconds").asLong()));
    } else {
      // A live migration whose guest dirties memory faster than it is copied has no honest ETA.
      line.append(progress.path("converging").asBoolean(true) ? "ETA unknown" : "ETA unknown (not converging)");
    }
    return line.toString();
  }
}
