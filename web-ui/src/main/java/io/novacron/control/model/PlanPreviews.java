package io.novacron.control.model;

import io.novacron.workflows.model.GpuNode;
import io.novacron.workflows.model.KnownModels;
import io.novacron.workflows.model.KvCacheDtype;
import io.novacron.workflows.model.ModelShape;
import io.novacron.workflows.model.ParallelismPlan;
import io.novacron.workflows.model.ParallelismPlanner;
import io.novacron.workflows.model.PlanRequest;
import io.novacron.workflows.model.WeightDtype;
import io.novacron.workflows.FieldError;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.springframework.stereotype.Service;

/**
 * Plans a model on a described cluster with the pure {@link ParallelismPlanner}: nothing is
 * deployed and no run starts. The REST API and the dashboard's Models page share it.
 */
@Service
public class PlanPreviews {
  static final int MAX_NODES = 256;
  static final int MAX_GPUS_PER_NODE = 16;
  static final double MAX_GPU_MEMORY_GIB = 1024;
  static final int MAX_CONTEXT = 1 << 20;
  static final int MAX_BATCH = 4096;

  /** Either a plan or every reason the request cannot be planned. */
  public record Result(ParallelismPlan plan, List<FieldError> errors) {}

  /** Validates every field at once, then plans. */
  public Result preview(PlanPreviewRequest request) {
    if (request == null) {
      return new Result(null, List.of(new FieldError("body",
          "send model, dtype, nodes, gpusPerNode and gpuMemoryGib")));
    }
    List<FieldError> errors = new ArrayList<>();
    ModelShape model = null;
    if (request.model() == null || request.model().isBlank()) {
      errors.add(new FieldError("model", "name a model: one of " + KnownModels.names()));
    } else {
      model = KnownModels.find(request.model()).orElse(null);
      if (model == null) {
        errors.add(new FieldError("model", "'" + request.model() + "' is not known; use one of " + KnownModels.names()));
      }
    }
    WeightDtype dtype = parse(errors, "dtype", request.dtype(), WeightDtype::parse, null);
    KvCacheDtype kv = parse(errors, "kvCacheDtype", request.kvCacheDtype(), KvCacheDtype::parse, KvCacheDtype.BF16);
    if (request.dtype() == null) {
      errors.add(new FieldError("dtype", "name the weight type: bf16, fp8 or int4"));
    }
    int nodes = intIn(errors, "nodes", request.nodes(), null, 1, MAX_NODES);
    int gpus = intIn(errors, "gpusPerNode", request.gpusPerNode(), null, 1, MAX_GPUS_PER_NODE);
    int context = intIn(errors, "contextLength", request.contextLength(), PlanRequest.DEFAULT_CONTEXT, 1, MAX_CONTEXT);
    int batch = intIn(errors, "batch", request.batch(), PlanRequest.DEFAULT_BATCH, 1, MAX_BATCH);
    Double memory = request.gpuMemoryGib();
    if (memory == null || !(memory > 0 && memory <= MAX_GPU_MEMORY_GIB)) {
      errors.add(new FieldError("gpuMemoryGib", "must be more than 0 and at most " + (int) MAX_GPU_MEMORY_GIB
          + " GiB" + (memory == null ? "" : ", was " + memory)));
    }
    double cap = request.utilizationCap() == null ? PlanRequest.DEFAULT_UTILIZATION_CAP : request.utilizationCap();
    if (!(cap > 0 && cap <= 1)) {
      errors.add(new FieldError("utilizationCap", "must be more than 0 and at most 1, was " + cap));
    }
    if (!errors.isEmpty()) {
      return new Result(null, errors);
    }
    List<GpuNode> cluster = IntStream.rangeClosed(1, nodes)
        .mapToObj(i -> GpuNode.ofGib("node-" + i, gpus, "GPU", memory))
        .toList();
    PlanRequest planRequest = new PlanRequest(model, dtype, kv, cluster, context, batch, cap);
    return new Result(ParallelismPlanner.plan(planRequest), List.of());
  }

  private static <T> T parse(List<FieldError> errors, String field, String text,
      java.util.function.Function<String, T> parser, T fallback) {
    if (text == null || text.isBlank()) {
      return fallback;
    }
    try {
      return parser.apply(text);
    } catch (IllegalArgumentException e) {
      errors.add(new FieldError(field, e.getMessage()));
      return fallback;
    }
  }

  private static int intIn(List<FieldError> errors, String field, Integer value, Integer fallback, int min, int max) {
    if (value == null && fallback != null) {
      return fallback;
    }
    if (value == null || value < min || value > max) {
      errors.add(new FieldError(field, "must be between " + min + " and " + max + (value == null ? "" : ", was " + value)));
      return min;
    }
    return value;
  }
}
