package io.novacron.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code novacron node ...}: fleet operations through the REST API. {@code novacron nodes} alone
 * lists the nodes. Plans print as readable text; runs print their id and, with {@code --watch},
 * follow it.
 */
@Command(name = "node", aliases = "nodes", mixinStandardHelpOptions = true,
    description = "List and show nodes; label, cordon, uncordon, drain and rebalance them ("
        + "`novacron nodes` alone lists them).",
    subcommands = {NestedHelpCommand.class, NodeCommands.ListNodes.class, NodeCommands.Get.class, NodeCommands.Label.class,
        NodeCommands.Cordon.class, NodeCommands.Uncordon.class, NodeCommands.Drain.class,
        NodeCommands.Rebalance.class})
final class NodeCommands extends ApiCommand {
  @Mixin Paging paging;

  @Override
  int execute() throws IOException, InterruptedException {
    return list("/api/v1/nodes", paging.query(), Views.NODES);
  }

  @Command(name = "list", mixinStandardHelpOptions = true,
      description = "List nodes: status (ready, cordoned, down), CPUs, memory, free storage, GPUs.")
  static final class ListNodes extends ApiCommand {
    @Mixin Paging paging;

    @Override
    int execute() throws IOException, InterruptedException {
      return list("/api/v1/nodes", paging.query(), Views.NODES);
    }
  }

  @Command(name = "get", mixinStandardHelpOptions = true, description = "One node: facts, cordon, whether it is down.")
  static final class Get extends ApiCommand {
    @Parameters(paramLabel = "NAME", description = "the node") String node;

    @Override
    int execute() throws IOException, InterruptedException {
      return get("/api/v1/nodes/" + segment(node), Views.NODE_FIELDS);
    }
  }

  @Command(name = "label", mixinStandardHelpOptions = true,
      description = "Set (K=V) or remove (K-) a node's labels; a VM label node.novacron.io/K=V asks for them.")
  static final class Label extends LabelCommand {
    @Parameters(index = "0", paramLabel = "NAME", description = "the node") String node;

    @Override
    String labelsPath() {
      return "/api/v1/nodes/" + segment(node) + "/labels";
    }
  }

  /** Prints whether a node is cordoned, from the node the API answered with. */
  abstract static class CordonState extends ApiCommand {
    int printed(ApiClient.Response response) {
      JsonNode node = ok(response);
      if (!output().data(node)) {
        out().println(node.path("name").asText() + (node.path("cordon").isTextual()
            ? " is cordoned: " + node.path("cordon").asText() : " is not cordoned"));
      }
      return ExitCodes.OK;
    }
  }

  @Command(name = "cordon", mixinStandardHelpOptions = true,
      description = "The node takes no new VMs (placement and migrations skip it); its VMs keep running.")
  static final class Cordon extends CordonState {
    @Parameters(paramLabel = "NAME", description = "the node") String node;
    @Option(names = "--reason", paramLabel = "TEXT", description = "why, shown with the node") String reason;

    @Override
    int execute() throws IOException, InterruptedException {
      Map<String, Object> body = new LinkedHashMap<>();
      VmCommands.putIfSet(body, "reason", reason);
      return printed(api().post("/api/v1/nodes/" + segment(node) + "/cordon", body));
    }
  }

  @Command(name = "uncordon", mixinStandardHelpOptions = true,
      description = "Take new VMs again (refused while a drain of the node runs).")
  static final class Uncordon extends CordonState {
    @Parameters(paramLabel = "NAME", description = "the node") String node;

    @Override
    int execute() throws IOException, InterruptedException {
      return printed(api().post("/api/v1/nodes/" + segment(node) + "/uncordon", Map.of()));
    }
  }

  @Command(name = "drain", mixinStandardHelpOptions = true,
      description = "Cordon, then move every VM off (a DrainNode run); --dry-run prints the plan only.")
  static final class Drain extends ApiCommand {
    @Mixin LaunchKey launchKey;
    @Parameters(paramLabel = "NAME", description = "the node") String node;
    @Option(names = "--policy", paramLabel = "P", description = "live-or-fail, live-then-cold or skip") String policy;
    @Option(names = "--mode", paramLabel = "M", description = "live, warm or cold") String mode;
    @Option(names = "--parallel", paramLabel = "N", description = "VMs moved at once") Integer parallel;
    @Option(names = "--dry-run", description = "print the plan: which VM goes where, in what order, why")
    boolean dryRun;
    @Option(names = "--watch", description = VmCommands.WATCH) boolean watch;

    @Override
    int execute() throws IOException, InterruptedException {
      Map<String, Object> body = new LinkedHashMap<>();
      VmCommands.putIfSet(body, "policy", policy);
      VmCommands.putIfSet(body, "mode", mode);
      VmCommands.putIfSet(body, "parallel", parallel);
      body.put("dryRun", dryRun);
      ApiClient.Response response = launch("/api/v1/nodes/" + segment(node) + "/drain", body, launchKey);
      if (dryRun) {
        JsonNode plan = ok(response);
        if (!output().data(plan)) {
          new FleetPlanText(out()).drain(plan);
        }
        return ExitCodes.OK;
      }
      return started(response, watch);
    }
  }

  @Command(name = "rebalance", mixinStandardHelpOptions = true,
      description = "Plan moves that even memory use across nodes; --execute runs them (a Rebalance run).")
  static final class Rebalance extends ApiCommand {
    @Mixin LaunchKey launchKey;
    @Option(names = "--max-moves", paramLabel = "N", description = "at most N moves") Integer maxMoves;
    @Option(names = "--parallel", paramLabel = "N", description = "VMs moved at once") Integer parallel;
    @Option(names = "--execute", description = "run the moves") boolean execute;
    @Option(names = "--dry-run", description = "only plan (the default)") boolean dryRun;
    @Option(names = "--watch", description = VmCommands.WATCH) boolean watch;

    @Override
    int execute() throws IOException, InterruptedException {
      if (execute && dryRun) {
        throw usage("node rebalance takes --execute or --dry-run, not both");
      }
      Map<String, Object> body = new LinkedHashMap<>();
      VmCommands.putIfSet(body, "maxMoves", maxMoves);
      VmCommands.putIfSet(body, "parallel", parallel);
      body.put("dryRun", !execute);
      ApiClient.Response response = launch("/api/v1/rebalance", body, launchKey);
      if (!execute) {
        JsonNode plan = ok(response);
        if (!output().data(plan)) {
          new FleetPlanText(out()).rebalance(plan);
        }
        return ExitCodes.OK;
      }
      return started(response, watch);
    }
  }
}
