package io.novacron.cli;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code novacron migration ...}: MigrateVm runs through {@code /api/v1/migrations}; start one with vm migrate. */
@Command(name = "migration", aliases = "migrations", mixinStandardHelpOptions = true,
    description = "List and show migrations (start one with: novacron vm migrate).",
    subcommands = {NestedHelpCommand.class, MigrationCommands.ListMigrations.class, MigrationCommands.Get.class})
final class MigrationCommands {
  private MigrationCommands() {}

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List migrations, newest first.")
  static final class ListMigrations extends ApiCommand {
    @Option(names = "--vm", paramLabel = "NAME", description = "only migrations of this VM") String vm;
    @Option(names = "--state", paramLabel = "STATE", description = "only migrations in this state") String state;
    @Mixin Paging paging;

    @Override
    int execute() throws IOException, InterruptedException {
      Map<String, Object> filters = new LinkedHashMap<>();
      filters.put("vm", vm);
      filters.put("state", state);
      return list("/api/v1/migrations", paging.query(filters), Views.RUNS);
    }
  }

  @Command(name = "get", mixinStandardHelpOptions = true, description = "One migration, as runs get shows a run.")
  static final class Get extends ApiCommand {
    @Parameters(paramLabel = "RUN_ID", description = "the migration's run") String runId;

    @Override
    int execute() throws IOException, InterruptedException {
      return get("/api/v1/migrations/" + segment(runId), Views.RUN_FIELDS);
    }
  }
}
