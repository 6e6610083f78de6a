package io.novacron.cli.model;

import io.novacron.checkpoint.CheckpointException;
import io.novacron.checkpoint.CheckpointInspection;
import io.novacron.checkpoint.CheckpointInspector;
import io.novacron.checkpoint.MoeConfigReader;
import io.novacron.workflows.model.GpuNode;
import io.novacron.workflows.model.KnownModels;
import io.novacron.workflows.model.KnownMoeModels;
import io.novacron.workflows.model.MoeModelShape;
import io.novacron.workflows.model.MoePlan;
import io.novacron.workflows.model.MoePlanRequest;
import io.novacron.workflows.model.MoePlanner;
import io.novacron.workflows.model.ModelShape;
import io.novacron.workflows.model.ParallelismPlan;
import io.novacron.workflows.model.ParallelismPlanner;
import io.novacron.workflows.model.PlanRequest;
import io.novacron.workflows.model.WeightDtype;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code novacron model plan}: does a model fit on these GPUs, and how. Runs locally, without the
 * control plane: the planner is pure code, and a checkpoint is read for its headers only.
 *
 * <p>Exit codes: 0 the model fits, 2 it does not (the shortfall is printed), 64 bad usage (the flag
 * is named), 65 the checkpoint cannot be used (file and tensor are named).
 */
public final class ModelPlanCommand {
  public static final int EXIT_FITS = 0;
  public static final int EXIT_DOES_NOT_FIT = 2;
  public static final int EXIT_USAGE = 64;
  public static final int EXIT_BAD_CHECKPOINT = 65;

  static final String USAGE = """
      usage: novacron model plan (--model NAME --dtype DTYPE | --checkpoint DIR [--dtype DTYPE])
                                 --nodes N --gpus-per-node N --gpu-memory-gib GIB
                                 [--context TOKENS] [--batch SEQUENCES] [--utilization CAP]
                                 [--kv-cache-dtype bf16|fp8] [--json]
        NAME    one of %s
        DTYPE   bf16, fp8 or int4 (with --checkpoint: as stored, unless given)
        TOKENS  context per sequence, default %d; SEQUENCES per replica, default %d
        CAP     share of GPU memory to plan for, default %.1f
      exit: 0 fits, 2 does not fit, 64 bad usage, 65 bad checkpoint"""
      .formatted(String.join(", ", knownNames()), PlanRequest.DEFAULT_CONTEXT,
          PlanRequest.DEFAULT_BATCH, PlanRequest.DEFAULT_UTILIZATION_CAP);

  private ModelPlanCommand() {}

  /** Dense and mixture-of-experts names {@code --model} accepts. */
  public static List<String> knownNames() {
    List<String> names = new ArrayList<>(KnownModels.names());
    names.addAll(KnownMoeModels.names());
    return names;
  }

  /**
   * Runs the command. {@code args} are the flags, optionally preceded by the words {@code model
   * plan}.
   */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    ModelPlanOptions options;
    try {
      options = ModelPlanOptions.parse(args);
    } catch (UsageException e) {
      err.println("novacron model plan: " + e.getMessage());
      err.println(USAGE);
      return EXIT_USAGE;
    }

    CheckpointInspection checkpoint = null;
    ModelShape shape;
    WeightDtype dtype = options.dtype();
    if (options.checkpoint() != null) {
      try {
        checkpoint = CheckpointInspector.inspect(options.checkpoint());
      } catch (CheckpointException e) {
        err.println("novacron model plan: bad checkpoint: " + e.getMessage());
        return EXIT_BAD_CHECKPOINT;
      } catch (IOException e) {
        err.println("novacron model plan: cannot read checkpoint " + options.checkpoint() + ": " + e);
        return EXIT_BAD_CHECKPOINT;
      }
      // A MoE config also has the dense keys; read as dense it would plan every expert as one MLP.
      Path config = options.checkpoint().resolve("config.json");
      try {
        if (MoeConfigReader.isMoe(config)) {
          MoeModelShape moe = MoeConfigReader.read(config, checkpoint.config().name());
          return runMoe(moe, dtype == null ? checkpoint.config().weightDtype() : dtype, options, out);
        }
      } catch (CheckpointException e) {
        err.println("novacron model plan: bad checkpoint: " + e.getMessage());
        return EXIT_BAD_CHECKPOINT;
      } catch (IOException e) {
        err.println("novacron model plan: cannot read " + config + ": " + e);
        return EXIT_BAD_CHECKPOINT;
      }
      shape = checkpoint.config().shape();
      if (dtype == null) {
        dtype = checkpoint.config().weightDtype();
      }
    } else {
      MoeModelShape moe = KnownMoeModels.find(options.model()).orElse(null);
      if (moe != null) {
        return runMoe(moe, dtype, options, out);
      }
      shape = KnownModels.find(options.model()).orElse(null);
      if (shape == null) {
        err.println("novacron model plan: --model: unknown model '" + options.model() + "' (known: "
            + String.join(", ", knownNames()) + ")");
        return EXIT_USAGE;
      }
    }

    PlanRequest request = new PlanRequest(shape, dtype, options.kvCacheDtype(), nodes(options),
        options.context(), options.batch(), options.utilization());
    ParallelismPlan plan = ParallelismPlanner.plan(request);

    if (options.json()) {
      out.println(PlanJson.render(plan, checkpoint));
    } else {
      PlanText.render(plan, checkpoint, options.nodes(), options.gpusPerNode(), out);
    }
    return plan.fits() ? EXIT_FITS : EXIT_DOES_NOT_FIT;
  }

  /** Mixture-of-experts models go to {@link MoePlanner}: TP for attention, EP for the experts. */
  private static int runMoe(MoeModelShape model, WeightDtype dtype, ModelPlanOptions options,
      PrintStream out) {
    MoePlan plan = MoePlanner.plan(new MoePlanRequest(model, dtype, options.kvCacheDtype(),
        nodes(options), options.context(), options.batch(), options.utilization()));
    if (options.json()) {
      out.println(MoePlanJson.render(plan));
    } else {
      MoePlanText.render(plan, options.nodes(), options.gpusPerNode(), out);
    }
    return plan.fits() ? EXIT_FITS : EXIT_DOES_NOT_FIT;
  }

  private static List<GpuNode> nodes(ModelPlanOptions options) {
    List<GpuNode> nodes = new ArrayList<>();
    for (int n = 1; n <= options.nodes(); n++) {
      nodes.add(GpuNode.ofGib("node-" + n, options.gpusPerNode(), "gpu", options.gpuMemoryGib()));
    }
    return nodes;
  }

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }
}
