package io.novacron.cli.model;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The body of {@code POST /api/v1/deployments} from {@code novacron model deploy} options. Only the
 * shape is checked here (known flags, numbers); the API validates the values and names the field.
 */
public final class DeployRequestBody {
  public static final String USAGE = "model deploy --name=NAME --source=NODE --checkpoint=DIR --nodes=A,B"
      + " [--dtype=bf16|fp8|int4] [--context=N] [--batch=N] [--runtime=vllm|reference]"
      + " [--format=novacron|vllm-sharded-state] [--port=N]"
      + " [--template=CMD] [--simulated-gpu-gib=G] [--bandwidth-cap=BYTES_PER_S] [--watch]";

  private DeployRequestBody() {}

  /**
   * @throws IllegalArgumentException naming an unknown flag or a number that is not one
   */
  public static Map<String, Object> from(Map<String, String> options) {
    Map<String, Object> body = new LinkedHashMap<>();
    Map<String, Object> serving = new LinkedHashMap<>();
    for (var entry : options.entrySet()) {
      String value = entry.getValue();
      switch (entry.getKey()) {
        case "name" -> body.put("name", value);
        case "source" -> body.put("sourceNode", value);
        case "checkpoint" -> body.put("checkpoint", value);
        case "dtype" -> body.put("dtype", value);
        case "nodes" -> body.put("nodes", Arrays.stream(value.split(",")).map(String::trim)
            .filter(s -> !s.isEmpty()).toList());
        case "context" -> body.put("contextLength", integer(entry.getKey(), value));
        case "batch" -> body.put("batch", integer(entry.getKey(), value));
        case "simulated-gpu-gib" -> body.put("simulatedGpuMemoryGib", decimal(entry.getKey(), value));
        case "bandwidth-cap" -> body.put("transferBandwidthCapBytesPerSec", integer(entry.getKey(), value));
        case "runtime" -> serving.put("runtime", value.toUpperCase(Locale.ROOT));
        // Sent as given: the API checks it and names the allowed values.
        case "format" -> body.put("format", value);
        case "port" -> serving.put("port", integer(entry.getKey(), value));
        case "template" -> serving.put("commandTemplate", value);
        default -> throw new IllegalArgumentException("model deploy has no option --" + entry.getKey());
      }
    }
    if (!serving.isEmpty()) {
      body.put("serving", serving);
    }
    return body;
  }

  private static long integer(String flag, String value) {
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + flag + " must be a whole number, was '" + value + "'");
    }
  }

  private static double decimal(String flag, String value) {
    try {
      return Double.parseDouble(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + flag + " must be a number, was '" + value + "'");
    }
  }
}
