package io.novacron.cli;

import io.novacron.cli.model.DeployRequestBody;
import io.novacron.cli.model.ModelPlanCommand;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code novacron model plan|deploy}: does a model fit, and serve it on GPU nodes. */
@Command(name = "model", aliases = "models", mixinStandardHelpOptions = true,
    description = "Plan how a model fits on GPUs (locally), and deploy a checkpoint (list them: novacron deployments).",
    subcommands = {NestedHelpCommand.class, ModelCommands.Plan.class, ModelCommands.Deploy.class})
final class ModelCommands {
  private ModelCommands() {}

  /**
   * {@code model plan}: the options are declared here for help, completion and typing; the
   * planner's own parser ({@link ModelPlanCommand}) checks how they combine and keeps its messages
   * and exit codes (0 fits, 2 does not fit, 64 usage, 65 bad checkpoint).
   */
  @Command(name = "plan", mixinStandardHelpOptions = true,
      description = {"Plan tensor/pipeline parallelism for a model on N nodes of G GPUs; runs locally, "
          + "without the control plane.", "Exit 0 when it fits, 2 when it does not (the shortfall is printed), "
          + "65 when the checkpoint cannot be used."})
  static final class Plan implements Callable<Integer> {

    @Option(names = "--model", paramLabel = "NAME", description = "a known model: ${COMPLETION-CANDIDATES}",
        completionCandidates = KnownModelNames.class) String model;
    @Option(names = "--checkpoint", paramLabel = "DIR", description = "a safetensors checkpoint (read for headers only)")
    String checkpoint;
    @Option(names = "--dtype", paramLabel = "DTYPE", description = "bf16, fp8 or int4 (with --checkpoint: as stored)")
    String dtype;
    @Option(names = "--nodes", paramLabel = "N", description = "number of nodes") Integer nodes;
    @Option(names = "--gpus-per-node", paramLabel = "G", description = "GPUs on each node") Integer gpusPerNode;
    @Option(names = "--gpu-memory-gib", paramLabel = "GIB", description = "memory of each GPU") Double gpuMemoryGib;
    @Option(names = "--context", paramLabel = "TOKENS", description = "context per sequence") Integer context;
    @Option(names = "--batch", paramLabel = "SEQUENCES", description = "sequences per replica") Integer batch;
    @Option(names = "--utilization", paramLabel = "CAP", description = "share of GPU memory to plan for, (0, 1]")
    Double utilization;
    @Option(names = "--kv-cache-dtype", paramLabel = "DTYPE", description = "bf16 or fp8") String kvCacheDtype;
    @Option(names = "--json", description = "print the plan as JSON (as -o json does)") boolean json;

    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      NovacronCli root = (NovacronCli) spec.root().userObject();
      List<String> args = new ArrayList<>();
      add(args, "model", model);
      add(args, "checkpoint", checkpoint);
      add(args, "dtype", dtype);
      add(args, "nodes", nodes);
      add(args, "gpus-per-node", gpusPerNode);
      add(args, "gpu-memory-gib", gpuMemoryGib);
      add(args, "context", context);
      add(args, "batch", batch);
      add(args, "utilization", utilization);
      add(args, "kv-cache-dtype", kvCacheDtype);
      if (json || root.output == OutputFormat.json) {
        args.add("--json");
      }
      return ModelPlanCommand.run(args.toArray(String[]::new), root.out(), root.err());
    }

    private static void add(List<String> args, String flag, Object value) {
      if (value != null) {
        args.add("--" + flag + "=" + value);
      }
    }
  }

  /** The model names {@code --model} completes to. */
  static final class KnownModelNames implements Iterable<String> {
    @Override
    public java.util.Iterator<String> iterator() {
      return io.novacron.cli.model.ModelPlanCommand.knownNames().iterator();
    }
  }

  @Command(name = "deploy", mixinStandardHelpOptions = true,
      description = {"Deploy a checkpoint onto GPU nodes (a DeployModel run); prints the run id.",
          "--watch follows it until it serves. Stop it with: novacron deployment stop RUN_ID (or runs cancel)."})
  static final class Deploy extends ApiCommand {
    @Mixin LaunchKey launchKey;
    @Option(names = "--name", required = true, description = "the deployment's name") String name;
    @Option(names = "--source", required = true, paramLabel = "NODE", description = "the node that holds the checkpoint")
    String source;
    @Option(names = "--checkpoint", required = true, paramLabel = "DIR", description = "the checkpoint on that node")
    String checkpoint;
    @Option(names = "--nodes", required = true, paramLabel = "A,B", description = "the GPU nodes to serve on") String nodes;
    @Option(names = "--dtype", paramLabel = "DTYPE", description = "bf16, fp8 or int4") String dtype;
    @Option(names = "--context", paramLabel = "N", description = "context length in tokens") Long context;
    @Option(names = "--batch", paramLabel = "N", description = "sequences per replica") Long batch;
    @Option(names = "--runtime", paramLabel = "R", description = "vllm or reference") String runtime;
    @Option(names = "--format", paramLabel = "F",
        description = "the files each node gets: novacron (default) or vllm-sharded-state (vLLM's own rank files; PP 1)")
    String format;
    @Option(names = "--port", paramLabel = "N", description = "the serving port") Long port;
    @Option(names = "--template", paramLabel = "CMD", description = "the serving command template") String template;
    @Option(names = "--simulated-gpu-gib", paramLabel = "G", description = "simulated GPU memory (tests, demos)")
    Double simulatedGpuGib;
    @Option(names = "--bandwidth-cap", paramLabel = "BYTES_PER_S", description = "cap the shard transfer")
    Long bandwidthCap;
    @Option(names = "--watch", description = "follow the run until the model serves (exit 0) or the run fails (1)")
    boolean watch;

    @Override
    int execute() throws IOException, InterruptedException {
      Map<String, String> options = new LinkedHashMap<>();
      options.put("name", name);
      options.put("source", source);
      options.put("checkpoint", checkpoint);
      options.put("nodes", nodes);
      put(options, "dtype", dtype);
      put(options, "context", context);
      put(options, "batch", batch);
      put(options, "runtime", runtime);
      put(options, "format", format);
      put(options, "port", port);
      put(options, "template", template);
      put(options, "simulated-gpu-gib", simulatedGpuGib);
      put(options, "bandwidth-cap", bandwidthCap);
      Map<String, Object> body;
      try {
        body = DeployRequestBody.from(options);
      } catch (IllegalArgumentException e) {
        throw usage(e.getMessage());
      }
      return started(launch("/api/v1/deployments", body, launchKey), watch, "serving");
    }

    private static void put(Map<String, String> options, String flag, Object value) {
      if (value != null) {
        options.put(flag, String.valueOf(value));
      }
    }
  }
}
