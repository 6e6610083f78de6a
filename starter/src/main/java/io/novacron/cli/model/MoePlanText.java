package io.novacron.cli.model;

import io.novacron.workflows.model.MemoryEstimate;
import io.novacron.workflows.model.MoeModelShape;
import io.novacron.workflows.model.MoePlan;
import io.novacron.workflows.model.MoePlanRequest;
import io.novacron.workflows.model.RejectedAlternative;
import io.novacron.workflows.model.StagePlan;
import java.io.PrintStream;
import java.util.Locale;

/** A mixture-of-experts plan for people, laid out like {@link PlanText} with the EP lines added. */
final class MoePlanText {
  private MoePlanText() {}

  static void render(MoePlan plan, int nodes, int gpusPerNode, PrintStream out) {
    MoePlanRequest r = plan.request();
    MoeModelShape m = r.model();
    out.println(f("model       %s: %.1f B parameters (%.1f B active), %d layers (%d MoE), %d routed"
            + " experts top-%d + %d shared%s, %s weights, %s KV cache",
        m.name(), m.parameterCount() / 1e9, m.activeParameterCount() / 1e9, m.layers(),
        m.moeLayers(), m.moe().routedExperts(), m.moe().expertsPerToken(), m.moe().sharedExperts(),
        m.mla() != null ? ", MLA" : "", r.dtype().label(), r.kvCacheDtype().label()));
    out.println(f("cluster     %d node(s) x %d GPUs of %.1f GiB; plan within %.1f GiB per GPU (%.0f%%)",
        nodes, gpusPerNode, plan.gpuMemoryBytes() / MemoryEstimate.GIB,
        plan.budgetBytesPerGpu() / MemoryEstimate.GIB, r.utilizationCap() * 100));
    out.println(f("workload    %d sequence(s) of %d tokens per replica", r.batchTarget(), r.contextLength()));
    if (plan.tp() == 0) {
      out.println("result      DOES NOT FIT: no layout is possible");
    } else if (plan.fits()) {
      out.println(f("result      FITS: TP %d / EP %d x PP %d, %d replica(s) of %d GPUs", plan.tp(),
          plan.ep(), plan.pp(), plan.replicas(), plan.gpusPerReplica()));
    } else {
      out.println(f("result      DOES NOT FIT: closest is TP %d / EP %d x PP %d, short %.1f GiB per GPU",
          plan.tp(), plan.ep(), plan.pp(), plan.shortfallBytesPerGpu() / MemoryEstimate.GIB));
    }
    if (plan.tp() > 0) {
      out.println(f("tp          %d (attention heads %d per GPU)", plan.tp(), m.heads() / plan.tp()));
      out.println(f("ep          %d (%d routed experts per GPU per MoE layer)", plan.ep(),
          plan.expertsPerGpu()));
      out.println(f("pp          %d", plan.pp()));
      out.println("memory/GPU  " + memory(plan.peakPerGpu())
          + f(" of %.1f GiB allowed", plan.budgetBytesPerGpu() / MemoryEstimate.GIB));
      for (StagePlan s : plan.stages()) {
        String extras = (s.embeddings() ? ", embeddings" : "") + (s.lmHead() ? ", norm, lm_head" : "");
        out.println(f("  stage %-3d layers %s%s: %s", s.stage(), s.layers(), extras, memory(s.perGpu())));
      }
    }
    if (!plan.rejected().isEmpty()) {
      out.println("rejected");
      for (RejectedAlternative a : plan.rejected()) {
        out.println("  " + (a.pp() == 0 ? "TP/EP " + a.tp() : "TP/EP " + a.tp() + " x PP " + a.pp())
            + ": " + a.reason());
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
