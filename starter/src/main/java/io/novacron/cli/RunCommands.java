package io.novacron.cli;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code novacron runs ...}: the runs (workflows) the control plane started, through {@code /api/v1/runs}. */
@Command(name = "runs", aliases = "run", mixinStandardHelpOptions = true,
    description = "List, show, follow, cancel and answer runs (every long action is a run).",
    subcommands = {NestedHelpCommand.class, RunCommands.ListRuns.class, RunCommands.Get.class, RunCommands.Watch.class,
        RunCommands.Cancel.class, RunCommands.Resolve.class})
final class RunCommands {
  private RunCommands() {}

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List runs, newest first.")
  static final class ListRuns extends ApiCommand {
    @Option(names = "--type", paramLabel = "TYPE", description = "only runs of this type (e.g. MigrateVm, ProvisionVm)")
    String type;
    @Option(names = "--state", paramLabel = "STATE", description = "only runs in this state (e.g. RUNNING, FAILED)")
    String state;
    @Option(names = "--subject", paramLabel = "NAME", description = "only runs about this VM, node or model")
    String subject;
    @Mixin Paging paging;

    @Override
    int execute() throws IOException, InterruptedException {
      Map<String, Object> filters = new LinkedHashMap<>();
      filters.put("type", type);
      filters.put("state", state);
      filters.put("subject", subject);
      return list("/api/v1/runs", paging.query(filters), Views.RUNS);
    }
  }

  @Command(name = "get", mixinStandardHelpOptions = true, description = "One run: state, phase, progress, timeline.")
  static final class Get extends ApiCommand {
    @Parameters(paramLabel = "RUN_ID", description = "the run") String runId;

    @Override
    int execute() throws IOException, InterruptedException {
      return get("/api/v1/runs/" + segment(runId), Views.RUN_FIELDS);
    }
  }

  @Command(name = "watch", mixinStandardHelpOptions = true,
      description = {"Follow a run until it ends: a live progress line (phase, bytes, %%, rate, ETA) on a terminal,",
          "one line per change otherwise. Exit 0 when it succeeded, 1 when it failed or was cancelled."})
  static final class Watch extends ApiCommand {
    @Parameters(paramLabel = "RUN_ID", description = "the run") String runId;

    @Override
    int execute() throws IOException, InterruptedException {
      return RunWatcher.forConsole(api(), out()).watch(runId);
    }
  }

  @Command(name = "cancel", mixinStandardHelpOptions = true,
      description = "Cancel a run: it stops at its next safe point and undoes what it must.")
  static final class Cancel extends ApiCommand {
    @Parameters(paramLabel = "RUN_ID", description = "the run") String runId;
    @Option(names = "--watch", description = "follow the run until it has ended") boolean watch;

    @Override
    int execute() throws IOException, InterruptedException {
      var run = ok(api().post("/api/v1/runs/" + segment(runId) + "/cancel", Map.of()));
      out().println(runId + ": cancel requested (" + run.path("state").asText("?") + ")");
      if (!watch) {
        return ExitCodes.OK;
      }
      // A cancelled run ends CANCELLED, which is what was asked: that is success here.
      RunWatcher.forConsole(api(), out()).watch(runId);
      String state = ok(api().get("/api/v1/runs/" + segment(runId))).path("state").asText();
      return state.equals("CANCELLED") || state.equals("SUCCEEDED") ? ExitCodes.OK : ExitCodes.FAILED;
    }
  }

  @Command(name = "resolve", mixinStandardHelpOptions = true,
      description = "Answer a run that waits for an operator (ATTENTION); prints what it will do.")
  static final class Resolve extends ApiCommand {
    @Parameters(paramLabel = "RUN_ID", description = "the run") String runId;
    @Option(names = "--action", required = true, paramLabel = "ACTION",
        description = "retry, abandon, keep-source or keep-target") String action;
    @Option(names = "--watch", description = VmCommands.WATCH) boolean watch;

    @Override
    int execute() throws IOException, InterruptedException {
      var answer = ok(api().post("/api/v1/runs/" + segment(runId) + "/resolve", Map.of("action", action)));
      out().println(answer.path("answer").asText());
      return watch ? RunWatcher.forConsole(api(), out()).watch(runId) : ExitCodes.OK;
    }
  }
}
