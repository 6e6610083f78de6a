package io.novacron.cli.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.novacron.checkpoint.CheckpointInspection;
import io.novacron.workflows.model.MemoryEstimate;
import io.novacron.workflows.model.ParallelismPlan;
import io.novacron.workflows.model.PlanRequest;
import io.novacron.workflows.model.RankPlacement;
import io.novacron.workflows.model.RejectedAlternative;
import io.novacron.workflows.model.StagePlan;

/**
 * A plan for scripts. The field names are a contract: bytes are exact, {@code *Gib} fields are
 * rounded to two decimals for reading.
 */
final class PlanJson {
  private static final ObjectMapper JSON = new ObjectMapper();

  private PlanJson() {}

  static String render(ParallelismPlan plan, CheckpointInspection checkpoint) {
    PlanRequest r = plan.request();
    ObjectNode root = JSON.createObjectNode();
    root.put("fits", plan.fits());
    root.put("tp", plan.tp());
    root.put("pp", plan.pp());
    root.put("replicas", plan.replicas());
    root.put("gpusPerReplica", plan.gpusPerReplica());
    root.put("gpusAvailable", plan.gpusAvailable());
    ObjectNode model = root.putObject("model");
    model.put("name", r.model().name());
    model.put("parameters", r.model().parameterCount());
    model.put("layers", r.model().layers());
    model.put("hiddenSize", r.model().hiddenSize());
    model.put("heads", r.model().heads());
    model.put("kvHeads", r.model().kvHeads());
    model.put("intermediateSize", r.model().intermediateSize());
    model.put("vocabSize", r.model().vocabSize());
    root.put("dtype", r.dtype().label());
    root.put("kvCacheDtype", r.kvCacheDtype().label());
    root.put("contextLength", r.contextLength());
    root.put("batchTarget", r.batchTarget());
    root.put("utilizationCap", r.utilizationCap());
    root.put("gpuMemoryBytes", plan.gpuMemoryBytes());
    root.put("budgetBytesPerGpu", plan.budgetBytesPerGpu());
    root.put("budgetGibPerGpu", round(plan.budgetGib()));
    root.set("memoryPerGpu", memory(plan.peakPerGpu()));
    root.put("shortfallBytesPerGpu", plan.shortfallBytesPerGpu());
    root.put("shortfallGibPerGpu", round(plan.shortfallGib()));
    root.put("maxSequencesAtContext", plan.maxSequencesAtContext());
    ArrayNode stages = root.putArray("stages");
    for (StagePlan s : plan.stages()) {
      ObjectNode stage = stages.addObject();
      stage.put("stage", s.stage());
      stage.put("firstLayer", s.layers().start());
      stage.put("endLayer", s.layers().end());
      stage.put("embeddings", s.embeddings());
      stage.put("lmHead", s.lmHead());
      stage.set("memoryPerGpu", memory(s.perGpu()));
    }
    ArrayNode ranks = root.putArray("ranks");
    for (RankPlacement p : plan.ranks()) {
      ranks.add(JSON.valueToTree(p));
    }
    ArrayNode rejected = root.putArray("rejected");
    for (RejectedAlternative a : plan.rejected()) {
      rejected.add(JSON.valueToTree(a));
    }
    if (checkpoint != null) {
      ObjectNode c = root.putObject("checkpoint");
      c.put("directory", checkpoint.directory().toString());
      c.put("files", checkpoint.files().size());
      c.put("tensors", checkpoint.tensors().size());
      c.put("parameters", checkpoint.totalParameters());
      c.put("bytes", checkpoint.totalBytes());
      ObjectNode byDtype = c.putObject("bytesByDtype");
      checkpoint.bytesByDtype().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey())
          .forEach(e -> byDtype.put(e.getKey().name(), e.getValue()));
    }
    return root.toPrettyString();
  }

  private static ObjectNode memory(MemoryEstimate m) {
    ObjectNode node = JSON.createObjectNode();
    node.put("weightsBytes", m.weightsBytes());
    node.put("kvCacheBytes", m.kvCacheBytes());
    node.put("runtimeBytes", m.runtimeBytes());
    node.put("totalBytes", m.totalBytes());
    node.put("weightsGib", round(m.weightsGib()));
    node.put("kvCacheGib", round(m.kvCacheGib()));
    node.put("runtimeGib", round(m.runtimeGib()));
    node.put("totalGib", round(m.totalGib()));
    return node;
  }

  private static double round(double gib) {
    return Math.round(gib * 100) / 100.0;
  }
}
