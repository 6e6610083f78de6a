package io.novacron.control.metrics;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.novacron.workflows.migrate.MigrationPolicy;
import java.time.Duration;

/**
 * How long a migration run may stay running before it is past its timeout: the workflow's own
 * patience with a libvirt job ({@link MigrationPolicy#jobPatience}: the completion timeout of the
 * VM's memory and disk at the run's {@code completionTimeoutSecondsPerGiB}, twice, plus slack). A run
 * older than that is stuck beyond anything its policy allows.
 */
final class MigrationDeadline {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long MIB = 1024L * 1024;
  private static final long GIB = 1024L * MIB;

  private MigrationDeadline() {}

  /** The limit for a MigrateVm run started with {@code inputJson} for a VM of this size. */
  static Duration of(String inputJson, long memoryMib, long diskGib) {
    long data = Math.max(0, memoryMib) * MIB + Math.max(0, diskGib) * GIB;
    return MigrationPolicy.jobPatience(data, secondsPerGiB(inputJson));
  }

  /** The run's {@code options.completionTimeoutSecondsPerGiB}, or the policy's default. */
  static int secondsPerGiB(String inputJson) {
    try {
      JsonNode value = inputJson == null ? null
          : JSON.readTree(inputJson).path("options").get("completionTimeoutSecondsPerGiB");
      return value == null || !value.canConvertToInt() || value.asInt() <= 0
          ? MigrationPolicy.DEFAULT_SECONDS_PER_GIB : value.asInt();
    } catch (JsonProcessingException e) {
      return MigrationPolicy.DEFAULT_SECONDS_PER_GIB;
    }
  }
}
