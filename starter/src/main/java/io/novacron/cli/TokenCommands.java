package io.novacron.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code novacron token ...}: API tokens, through {@code /api/v1/tokens} (admin role). */
@Command(name = "token", aliases = "tokens", mixinStandardHelpOptions = true,
    description = "List, create, show and revoke API tokens (needs the admin role).",
    subcommands = {NestedHelpCommand.class, TokenCommands.ListTokens.class, TokenCommands.Create.class,
        TokenCommands.Get.class, TokenCommands.Revoke.class})
final class TokenCommands {
  private TokenCommands() {}

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List tokens (never their values).")
  static final class ListTokens extends ApiCommand {
    @Mixin Paging paging;

    @Override
    int execute() throws IOException, InterruptedException {
      return list("/api/v1/tokens", paging.query(), Views.TOKENS);
    }
  }

  @Command(name = "get", mixinStandardHelpOptions = true, description = "One token (not its value).")
  static final class Get extends ApiCommand {
    @Parameters(paramLabel = "ID", description = "the token's id") long id;

    @Override
    int execute() throws IOException, InterruptedException {
      return get("/api/v1/tokens/" + id, Map.of());
    }
  }

  @Command(name = "create", mixinStandardHelpOptions = true,
      description = "Create a token; its value is printed once, here, and never shown again.")
  static final class Create extends ApiCommand {
    @Parameters(paramLabel = "NAME", description = "what the token is for") String name;
    @Option(names = "--role", required = true, paramLabel = "ROLE", description = "viewer, operator or admin")
    String role;

    @Override
    int execute() throws IOException, InterruptedException {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("name", name);
      body.put("role", role);
      JsonNode created = ok(api().post("/api/v1/tokens", body));
      output().item(created, Map.of());
      if (!isData()) {
        root().err().println("(the token is shown only now: keep it, e.g. export NOVACRON_TOKEN=...)");
      }
      return ExitCodes.OK;
    }
  }

  @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a token at once.")
  static final class Revoke extends ApiCommand {
    @Parameters(paramLabel = "ID", description = "the token's id") long id;

    @Override
    int execute() throws IOException, InterruptedException {
      ok(api().delete("/api/v1/tokens/" + id));
      out().println("revoked token " + id);
      return ExitCodes.OK;
    }
  }
}
