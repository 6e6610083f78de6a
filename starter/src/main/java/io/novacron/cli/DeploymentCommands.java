package io.novacron.cli;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code novacron deployment ...}: DeployModel runs through {@code /api/v1/deployments}; start one with model deploy. */
@Command(name = "deployment", aliases = "deployments", mixinStandardHelpOptions = true,
    description = "List, show and stop model deployments (start one with: novacron model deploy).",
    subcommands = {NestedHelpCommand.class, DeploymentCommands.ListDeployments.class, DeploymentCommands.Get.class,
        DeploymentCommands.Stop.class})
final class DeploymentCommands {
  private DeploymentCommands() {}

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List deployments, newest first.")
  static final class ListDeployments extends ApiCommand {
    @Option(names = "--state", paramLabel = "STATE", description = "only deployments in this state") String state;
    @Mixin Paging paging;

    @Override
    int execute() throws IOException, InterruptedException {
      Map<String, Object> filters = new LinkedHashMap<>();
      filters.put("state", state);
      return list("/api/v1/deployments", paging.query(filters), Views.RUNS);
    }
  }

  @Command(name = "get", mixinStandardHelpOptions = true, description = "One deployment, as runs get shows a run.")
  static final class Get extends ApiCommand {
    @Parameters(paramLabel = "RUN_ID", description = "the deployment's run") String runId;

    @Override
    int execute() throws IOException, InterruptedException {
      return get("/api/v1/deployments/" + segment(runId), Views.RUN_FIELDS);
    }
  }

  @Command(name = "stop", mixinStandardHelpOptions = true,
      description = "Stop serving and end the deployment; prints the run id.")
  static final class Stop extends ApiCommand {
    @Parameters(paramLabel = "RUN_ID", description = "the deployment's run") String runId;
    @Option(names = "--watch", description = "follow the deployment until it has ended") boolean watch;

    @Override
    int execute() throws IOException, InterruptedException {
      return started(api().post("/api/v1/deployments/" + segment(runId) + "/stop", Map.of()), watch);
    }
  }
}
