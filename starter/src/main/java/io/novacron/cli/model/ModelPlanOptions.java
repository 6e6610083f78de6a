package io.novacron.cli.model;

import io.novacron.workflows.model.KvCacheDtype;
import io.novacron.workflows.model.PlanRequest;
import io.novacron.workflows.model.WeightDtype;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The flags of {@code novacron model plan}, parsed and checked. Flags take their value as the next
 * word or after {@code =}.
 *
 * @param model a known model name, or null where {@code checkpoint} is given
 * @param checkpoint a checkpoint directory, or null where {@code model} is given
 * @param dtype weight type; null with a checkpoint means "as the checkpoint is stored"
 * @param kvCacheDtype KV-cache type
 * @param nodes number of nodes
 * @param gpusPerNode GPUs on each node
 * @param gpuMemoryGib memory of each GPU
 * @param context context length in tokens
 * @param batch sequences per replica
 * @param utilization share of GPU memory the plan may use
 * @param json whether to print JSON instead of text
 */
record ModelPlanOptions(String model, Path checkpoint, WeightDtype dtype, KvCacheDtype kvCacheDtype,
    int nodes, int gpusPerNode, double gpuMemoryGib, int context, int batch, double utilization,
    boolean json) {

  private static final Set<String> FLAGS = Set.of("json");
  private static final Set<String> VALUED = Set.of("model", "checkpoint", "dtype", "kv-cache-dtype",
      "nodes", "gpus-per-node", "gpu-memory-gib", "context", "batch", "utilization");

  static ModelPlanOptions parse(String[] args) throws UsageException {
    Map<String, String> values = new LinkedHashMap<>();
    int i = 0;
    // The lead CLI may pass its command words through.
    while (i < args.length && (args[i].equals("model") || args[i].equals("plan"))) {
      i++;
    }
    for (; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("--")) {
        throw new UsageException("unexpected argument '" + arg + "'");
      }
      int eq = arg.indexOf('=');
      String name = eq < 0 ? arg.substring(2) : arg.substring(2, eq);
      if (FLAGS.contains(name) && eq < 0) {
        values.put(name, "true");
      } else if (VALUED.contains(name)) {
        String value;
        if (eq >= 0) {
          value = arg.substring(eq + 1);
        } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
          value = args[++i];
        } else {
          throw new UsageException("--" + name + " needs a value");
        }
        if (values.put(name, value) != null) {
          throw new UsageException("--" + name + " is given twice");
        }
      } else {
        throw new UsageException("unknown flag --" + name);
      }
    }

    String model = values.get("model");
    String checkpoint = values.get("checkpoint");
    if ((model == null) == (checkpoint == null)) {
      throw new UsageException(model == null ? "--model or --checkpoint is required"
          : "--model and --checkpoint exclude each other");
    }
    WeightDtype dtype = null;
    if (values.containsKey("dtype")) {
      try {
        dtype = WeightDtype.parse(values.get("dtype"));
      } catch (IllegalArgumentException e) {
        throw new UsageException("--dtype: " + e.getMessage());
      }
    } else if (model != null) {
      throw new UsageException("--dtype is required with --model (bf16, fp8 or int4)");
    }
    KvCacheDtype kv = KvCacheDtype.BF16;
    if (values.containsKey("kv-cache-dtype")) {
      try {
        kv = KvCacheDtype.parse(values.get("kv-cache-dtype"));
      } catch (IllegalArgumentException e) {
        throw new UsageException("--kv-cache-dtype: " + e.getMessage());
      }
    }
    return new ModelPlanOptions(model, checkpoint == null ? null : Path.of(checkpoint), dtype, kv,
        positiveInt(values, "nodes", null),
        positiveInt(values, "gpus-per-node", null),
        positiveNumber(values, "gpu-memory-gib"),
        positiveInt(values, "context", PlanRequest.DEFAULT_CONTEXT),
        positiveInt(values, "batch", PlanRequest.DEFAULT_BATCH),
        utilization(values),
        values.containsKey("json"));
  }

  private static int positiveInt(Map<String, String> values, String flag, Integer fallback)
      throws UsageException {
    String text = values.get(flag);
    if (text == null) {
      if (fallback == null) {
        throw new UsageException("--" + flag + " is required");
      }
      return fallback;
    }
    try {
      int value = Integer.parseInt(text);
      if (value >= 1) {
        return value;
      }
    } catch (NumberFormatException e) {
      // Reported below with the flag's name.
    }
    throw new UsageException("--" + flag + " must be a positive integer, got '" + text + "'");
  }

  private static double positiveNumber(Map<String, String> values, String flag) throws UsageException {
    String text = values.get(flag);
    if (text == null) {
      throw new UsageException("--" + flag + " is required");
    }
    try {
      double value = Double.parseDouble(text);
      if (value > 0 && Double.isFinite(value)) {
        return value;
      }
    } catch (NumberFormatException e) {
      // Reported below with the flag's name.
    }
    throw new UsageException("--" + flag + " must be a positive number, got '" + text + "'");
  }

  private static double utilization(Map<String, String> values) throws UsageException {
    String text = values.get("utilization");
    if (text == null) {
      return PlanRequest.DEFAULT_UTILIZATION_CAP;
    }
    try {
      double value = Double.parseDouble(text);
      if (value > 0 && value <= 1) {
        return value;
      }
    } catch (NumberFormatException e) {
      // Reported below with the flag's name.
    }
    throw new UsageException("--utilization must be in (0, 1], got '" + text + "'");
  }
}
