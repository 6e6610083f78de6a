package io.novacron.cli.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.novacron.workflows.model.MemoryEstimate;
import io.novacron.workflows.model.MoeModelShape;
import io.novacron.workflows.model.MoePlan;
import io.novacron.workflows.model.RejectedAlternative;
import io.novacron.workflows.model.StagePlan;

/** A MoE plan for scripts: {@link PlanJson}'s fields where they mean the same, plus {@code ep}. */
final class MoePlanJson {
  private static final ObjectMapper JSON = new ObjectMapper();

  private MoePlanJson() {}

  static String render(MoePlan plan) {
    MoeModelShape m = plan.request().model();
    ObjectNode root = JSON.createObjectNode();
    root.put("fits", plan.fits());
    root.put("tp", plan.tp());
    root.put("ep", plan.ep());
    root.put("pp", plan.pp());
    root.put("replicas", plan.replicas());
    root.put("gpusPerReplica", plan.gpusPerReplica());
    root.put("gpusAvailable", plan.gpusAvailable());
    root.put("expertsPerGpu", plan.expertsPerGpu());
    ObjectNode model = root.putObject("model");
    model.put("name", m.name());
    model.put("parameters", m.parameterCount());
    model.put("activeParameters", m.activeParameterCount());
    model.put("layers", m.layers());
    model.put("routedExperts", m.moe().routedExperts());
    model.put("expertsPerToken", m.moe().expertsPerToken());
    model.put("sharedExperts", m.moe().sharedExperts());
    model.put("mla", m.mla() != null);
    root.put("dtype", plan.request().dtype().label());
    root.put("kvCacheDtype", plan.request().kvCacheDtype().label());
    root.put("gpuMemoryBytes", plan.gpuMemoryBytes());
    root.put("budgetBytesPerGpu", plan.budgetBytesPerGpu());
    root.set("memoryPerGpu", memory(plan.peakPerGpu()));
    root.put("shortfallBytesPerGpu", plan.shortfallBytesPerGpu());
    ArrayNode stages = root.putArray("stages");
    for (StagePlan s : plan.stages()) {
      ObjectNode stage = stages.addObject();
      stage.put("stage", s.stage());
      stage.put("firstLayer", s.layers().start());
      stage.put("endLayer", s.layers().end());
      stage.set("memoryPerGpu", memory(s.perGpu()));
    }
    ArrayNode rejected = root.putArray("rejected");
    for (RejectedAlternative a : plan.rejected()) {
      rejected.add(JSON.valueToTree(a));
    }
    return root.toString();
  }

  private static ObjectNode memory(MemoryEstimate e) {
    ObjectNode n = JSON.createObjectNode();
    n.put("weightsBytes", e.weightsBytes());
    n.put("kvCacheBytes", e.kvCacheBytes());
    n.put("runtimeBytes", e.runtimeBytes());
    n.put("totalBytes", e.totalBytes());
    return n;
  }
}
