package io.novacron.cli;

import java.io.IOException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code novacron audit [list]}: the audit log, newest first, through {@code /api/v1/audit} (it
 * filters by page and size only).
 */
@Command(name = "audit", mixinStandardHelpOptions = true,
    description = "The audit log: who did what, when, with what outcome (`novacron audit` alone lists it).",
    subcommands = {NestedHelpCommand.class, AuditCommands.ListAudit.class})
final class AuditCommands extends ApiCommand {
  @Mixin Paging paging;

  @Override
  int execute() throws IOException, InterruptedException {
    return list("/api/v1/audit", paging.query(), Views.AUDIT);
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "One page of the audit log.")
  static final class ListAudit extends ApiCommand {
    @Mixin Paging paging;

    @Override
    int execute() throws IOException, InterruptedException {
      return list("/api/v1/audit", paging.query(), Views.AUDIT);
    }
  }
}
