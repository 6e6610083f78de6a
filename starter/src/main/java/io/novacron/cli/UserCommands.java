package io.novacron.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code novacron user ...}: the dashboard's user accounts, through {@code /api/v1/users} (admin role). */
@Command(name = "user", aliases = "users", mixinStandardHelpOptions = true,
    description = "List, create and show dashboard users (needs the admin role).",
    subcommands = {NestedHelpCommand.class, UserCommands.ListUsers.class, UserCommands.Create.class, UserCommands.Get.class})
final class UserCommands {
  private UserCommands() {}

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List users and their roles.")
  static final class ListUsers extends ApiCommand {
    @Mixin Paging paging;

    @Override
    int execute() throws IOException, InterruptedException {
      return list("/api/v1/users", paging.query(), Views.USERS);
    }
  }

  @Command(name = "get", mixinStandardHelpOptions = true, description = "One user.")
  static final class Get extends ApiCommand {
    @Parameters(paramLabel = "NAME", description = "the username") String name;

    @Override
    int execute() throws IOException, InterruptedException {
      return get("/api/v1/users/" + segment(name), Map.of());
    }
  }

  /**
   * {@code user create}: the password never goes on the command line (where {@code ps} and the
   * shell's history show it): it comes from a file, from stdin, or from a prompt on a terminal.
   */
  @Command(name = "create", mixinStandardHelpOptions = true,
      description = {"Create a dashboard user. The password comes from --password-file, --password-stdin,",
          "or a prompt on a terminal; never from the command line."})
  static final class Create extends ApiCommand {
    @Parameters(paramLabel = "NAME", description = "the username") String name;
    @Option(names = "--role", required = true, paramLabel = "ROLE", description = "viewer, operator or admin")
    String role;
    @Option(names = "--password-file", paramLabel = "FILE", description = "read the password from this file")
    Path passwordFile;
    @Option(names = "--password-stdin", description = "read the password from standard input") boolean passwordStdin;

    @Override
    int execute() throws IOException, InterruptedException {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("username", name);
      body.put("password", password());
      body.put("role", role);
      output().item(ok(api().post("/api/v1/users", body)), Map.of());
      return ExitCodes.OK;
    }

    private String password() throws IOException {
      if (passwordFile != null && passwordStdin) {
        throw usage("user create takes --password-file or --password-stdin, not both");
      }
      if (passwordFile != null) {
        if (!Files.isReadable(passwordFile)) {
          throw usage("--password-file " + passwordFile + " does not exist or is not readable");
        }
        return firstLine(Files.readString(passwordFile, StandardCharsets.UTF_8));
      }
      if (passwordStdin) {
        return firstLine(new String(System.in.readAllBytes(), StandardCharsets.UTF_8));
      }
      if (System.console() == null) {
        throw usage("user create needs --password-file FILE or --password-stdin (no terminal to prompt on)");
      }
      char[] typed = System.console().readPassword("password for %s: ", name);
      if (typed == null) {
        throw usage("no password given");
      }
      return new String(typed);
    }

    private static String firstLine(String text) {
      int end = text.indexOf('\n');
      return (end < 0 ? text : text.substring(0, end)).replace("\r", "");
    }
  }
}
