package io.novacron.cli;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code novacron audit [list]}: the audit log, newest first, through {@code /api/v1/audit}, with its
 * filters; the control plane checks them and names a bad one.
 */
@Command(name = "audit", mixinStandardHelpOptions = true,
    description = "The audit log: who did what, when, with what outcome (`novacron audit` alone lists it).",
    subcommands = {NestedHelpCommand.class, AuditCommands.ListAudit.class})
final class AuditCommands extends ApiCommand {
  @Mixin Paging paging;
  @Mixin Filters filters;

  @Override
  int execute() throws IOException, InterruptedException {
    return list("/api/v1/audit", paging.query(filters.query()), Views.AUDIT);
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "One page of the audit log.")
  static final class ListAudit extends ApiCommand {
    @Mixin Paging paging;
    @Mixin Filters filters;

    @Override
    int execute() throws IOException, InterruptedException {
      return list("/api/v1/audit", paging.query(filters.query()), Views.AUDIT);
    }
  }

  /** The API's audit filters, as options. */
  static final class Filters {
    @Option(names = "--actor", paramLabel = "NAME", description = "only this user or token (exact)") String actor;
    @Option(names = "--action", paramLabel = "TEXT", description = "actions starting so, e.g. 'POST /api/v1/vms' or token.")
    String action;
    @Option(names = "--outcome", paramLabel = "O", description = "accepted, refused or failed") String outcome;
    @Option(names = "--target", paramLabel = "TEXT", description = "targets containing this (a VM's name, a path)")
    String target;
    @Option(names = "--since", paramLabel = "TIME", description = "at or after this ISO-8601 time, e.g. 2026-12-06T19:00:00Z")
    String since;
    @Option(names = "--until", paramLabel = "TIME", description = "before this ISO-8601 time") String until;

    Map<String, Object> query() {
      Map<String, Object> query = new LinkedHashMap<>();
      query.put("actor", actor);
      query.put("action", action);
      query.put("outcome", outcome);
      query.put("target", target);
      query.put("since", since);
      query.put("until", until);
      return query;
    }
  }
}
