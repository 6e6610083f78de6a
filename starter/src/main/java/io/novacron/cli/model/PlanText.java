package io.novacron.cli.model;

import io.novacron.checkpoint.CheckpointInspection;
import io.novacron.workflows.model.MemoryEstimate;
import io.novacron.workflows.model.ParallelismPlan;
import io.novacron.workflows.model.PlanRequest;
import io.novacron.workflows.model.RejectedAlternative;
import io.novacron.workflows.model.StagePlan;
import java.io.PrintStream;
import java.util.Locale;
import java.util.stream.Collectors;

/** A plan for people: the verdict and the layout first, then where the memory goes, then why not the rest. */
final class PlanText {
  private PlanText() {}

  static void render(ParallelismPlan plan, CheckpointInspection checkpoint, int nodes, int gpusPerNode,
      PrintStream out) {
    PlanRequest r = plan.request();
    if (checkpoint != null) {
      out.println(f("checkpoint  %s: %d tensors in %d file(s), %.2f B parameters, %.2f GiB (%s)",
          checkpoint.directory(), checkpoint.tensors().size(), checkpoint.files().size(),
          checkpoint.totalParameters() / 1e9, checkpoint.totalBytes() / MemoryEstimate.GIB,
          checkpoint.bytesByDtype().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey())
              .map(e -> e.getKey() + " " + f("%.2f GiB", e.getValue() / MemoryEstimate.GIB))
              .collect(Collectors.joining(", "))));
    }
    out.println(f("model       %s: %.1f B parameters, %d layers, %s weights, %s KV cache",
        r.model().name(), r.model().parameterCount() / 1e9, r.model().layers(), r.dtype().label(),
        r.kvCacheDtype().label()));
    out.println(f("cluster     %d node(s) x %d GPUs of %.1f GiB; plan within %.1f GiB per GPU (%.0f%%)",
        nodes, gpusPerNode, plan.gpuMemoryGib(), plan.budgetGib(), r.utilizationCap() * 100));
    out.println(f("workload    %d sequence(s) of %d tokens per replica", r.batchTarget(), r.contextLength()));

    if (plan.tp() == 0) {
      out.println("result      DOES NOT FIT: no layout is possible");
    } else if (plan.fits()) {
      out.println(f("result      FITS: TP %d x PP %d, %d replica(s) of %d GPUs",
          plan.tp(), plan.pp(), plan.replicas(), plan.gpusPerReplica()));
    } else {
      out.println(f("result      DOES NOT FIT: closest is TP %d x PP %d, short %.1f GiB per GPU"
              + " (%.1f GiB across its %d GPUs)", plan.tp(), plan.pp(), plan.shortfallGib(),
          plan.shortfallGib() * plan.gpusPerReplica(), plan.gpusPerReplica()));
    }
    if (plan.tp() > 0) {
      out.println(f("tp          %d", plan.tp()));
      out.println(f("pp          %d", plan.pp()));
      out.println("memory/GPU  " + memory(plan.peakPerGpu()) + f(" of %.1f GiB allowed", plan.budgetGib()));
      for (StagePlan s : plan.stages()) {
        String extras = (s.embeddings() ? ", embeddings" : "") + (s.lmHead() ? ", norm, lm_head" : "");
        out.println(f("  stage %-3d layers %s%s: %s", s.stage(), s.layers(), extras, memory(s.perGpu())));
      }
      if (plan.fits()) {
        out.println(f("kv room     up to %d sequence(s) of %d tokens per replica within the cap",
            plan.maxSequencesAtContext(), r.contextLength()));
      }
    }
    if (!plan.rejected().isEmpty()) {
      out.println("rejected");
      for (RejectedAlternative a : plan.rejected()) {
        out.println("  " + (a.pp() == 0 ? "TP " + a.tp() : "TP " + a.tp() + " x PP " + a.pp()) + ": "
            + a.reason());
      }
    }
  }

  private static String memory(MemoryEstimate m) {
    return f("%.1f GiB (weights %.1f + KV cache %.1f + runtime %.1f)", m.totalGib(), m.weightsGib(),
        m.kvCacheGib(), m.runtimeGib());
  }

  private static String f(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }
}
