package io.novacron.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.ScopeType;

/**
 * The {@code novacron} command line (the Java part): one picocli command tree over the control
 * plane's REST API, with {@code --help} and {@code help} at every level. The launcher
 * {@code starter/bin/novacron} runs the local stack's own commands ({@code up}, {@code down},
 * {@code status}, {@code lab}, ...); they are listed here too, so that one help shows them all.
 *
 * <p>Exit codes: see {@link ExitCodes}.
 */
@Command(name = "novacron", mixinStandardHelpOptions = true, version = "novacron 0.1.0-SNAPSHOT",
    description = {"NovaCron: KVM fleet and GPU orchestration from the shell.",
        "The API defaults to $NOVACRON_API or http://127.0.0.1:8080; several replicas' addresses, comma-separated, "
            + "are tried in turn. The API token comes from $NOVACRON_TOKEN, "
            + "else the file $NOVACRON_TOKEN_FILE, else $NOVACRON_DATA_DIR/admin-token (written by novacron up)."},
    commandListHeading = "%nCommands:%n",
    footer = {"", ExitCodes.HELP, "",
        "Every command has --help, and help: novacron help vm, novacron vm help stop.",
        "Completion: source <(novacron completion bash)   (zsh: the same, through bashcompinit)"},
    subcommands = {NestedHelpCommand.class, VmCommands.class, MigrationCommands.class, RunCommands.class,
        NodeCommands.class, ModelCommands.class, DeploymentCommands.class, ImageCommands.class, UserCommands.class,
        TokenCommands.class, AuditCommands.class, CompletionCommand.class})
public final class NovacronCli implements Callable<Integer> {
  static final int EXIT_FAILED = ExitCodes.FAILED;
  static final int EXIT_REFUSED = ExitCodes.REFUSED;
  static final int EXIT_USAGE = ExitCodes.USAGE;
  static final int EXIT_UNAVAILABLE = ExitCodes.UNAVAILABLE;
  static final int EXIT_NOPERM = ExitCodes.NOPERM;

  @Option(names = "--api", paramLabel = "URL", scope = ScopeType.INHERIT,
      description = "the control plane's address, or several replicas' comma-separated: the next is tried when one "
          + "cannot be reached or answers 503 (default: $NOVACRON_API, else http://127.0.0.1:8080)")
  String api;

  @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", scope = ScopeType.INHERIT,
      description = "table (default: aligned, sizes in MiB/GiB), wide (every column), json or yaml (for scripts)")
  OutputFormat output = OutputFormat.table;

  @Spec
  CommandSpec spec;

  private final PrintStream out;
  private final PrintStream err;
  private ApiClient client;

  NovacronCli(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  public static void main(String[] args) {
    System.exit(new NovacronCli(System.out, System.err).run(args));
  }

  /** Runs one command line; returns its exit status. */
  int run(String[] args) {
    return commandLine().execute(args);
  }

  /** The whole command tree, writing to this CLI's streams and mapping failures to exit codes. */
  CommandLine commandLine() {
    CommandLine line = new CommandLine(this);
    LauncherCommand.addTo(line);
    line.setOut(new PrintWriter(out, true));
    line.setErr(new PrintWriter(err, true));
    line.setCaseInsensitiveEnumValuesAllowed(true);
    line.setParameterExceptionHandler((problem, args) -> {
      CommandLine at = problem.getCommandLine();
      err.println("novacron: " + problem.getMessage());
      CommandLine.UnmatchedArgumentException.printSuggestions(problem, at.getErr());
      at.getErr().flush();
      if (problem.getMessage().startsWith("Missing required subcommand")) {
        // A group alone (novacron vm): its commands are the answer.
        at.usage(err);
      } else {
        err.println("see: " + at.getCommandSpec().qualifiedName() + " --help");
      }
      return ExitCodes.USAGE;
    });
    line.setExecutionExceptionHandler((problem, at, parsed) -> {
      err.println("novacron: " + problem.getMessage());
      if (problem instanceof ApiRefusal refusal) {
        refusal.fieldErrors().forEach(field -> err.println("  " + field));
        return refusal.exitCode();
      }
      if (problem instanceof ApiAuthException) {
        return ExitCodes.NOPERM;
      }
      if (problem instanceof IOException) {
        return ExitCodes.UNAVAILABLE;
      }
      if (problem instanceof InterruptedException) {
        Thread.currentThread().interrupt();
        return ExitCodes.FAILED;
      }
      throw problem;
    });
    return line;
  }

  /** {@code novacron} alone: the help, as {@code novacron --help}. */
  @Override
  public Integer call() {
    spec.commandLine().usage(out);
    return ExitCodes.OK;
  }

  PrintStream out() {
    return out;
  }

  PrintStream err() {
    return err;
  }

  Output output() {
    return new Output(out, output);
  }

  /** The API client, made on first use (help and model plan need no token). */
  ApiClient api() throws IOException {
    if (client == null) {
      String base = api != null ? api : System.getenv().getOrDefault("NOVACRON_API", "http://127.0.0.1:8080");
      List<URI> addresses;
      try {
        addresses = ApiClient.addresses(base);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
      }
      Optional<ApiToken> token;
      try {
        token = ApiToken.from(System.getenv());
      } catch (IOException e) {
        throw new ApiAuthException(e.getMessage());
      }
      client = new ApiClient(addresses, token);
    }
    return client;
  }

  /** Numbers go as JSON numbers so that the API can name a non-number field precisely. */
  static Object number(String value) {
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      return value;
    }
  }
}
