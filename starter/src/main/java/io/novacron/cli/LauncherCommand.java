package io.novacron.cli;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * A command of the launcher {@code starter/bin/novacron} (the local stack, the lab, benchmarks),
 * listed in this CLI's help so that one help shows every command. The launcher runs these
 * itself and never passes them here; run here (java -jar), one says so and where to run it.
 */
@Command(mixinStandardHelpOptions = true)
class LauncherCommand implements Callable<Integer> {
  /** The launcher's commands and what each does, in the order its help lists them. */
  static final Map<String, String> COMMANDS = orderedCommands();

  private final String name;

  @Spec
  CommandLine.Model.CommandSpec spec;

  @Parameters(hidden = true, arity = "0..*")
  List<String> words;

  @Unmatched
  List<String> unmatched;

  LauncherCommand(String name) {
    this.name = name;
  }

  private static Map<String, String> orderedCommands() {
    var commands = new java.util.LinkedHashMap<String, String>();
    commands.put("up", "install what is missing, build, start the whole product locally");
    commands.put("down", "stop what `up` started (by pid file); data stays");
    commands.put("status", "what runs, where to look");
    commands.put("install", "only install what is missing (Debian packages, the Temporal CLI)");
    commands.put("lab", "up|down|status: a two-host libvirt lab on this machine (docs/lab.md)");
    commands.put("bench", "transfer|shard|migrate|drain|api|scale [opts]: run a benchmark; writes docs/bench/<name>.md");
    commands.put("chaos", "[--cases=...]: kill every process at every phase of real migrations");
    commands.put("test", "install what is missing and run the whole test suite (what CI runs)");
    return java.util.Collections.unmodifiableMap(commands);
  }

  /** Adds the launcher's commands to the top-level command, each described and marked as the launcher's. */
  static void addTo(CommandLine root) {
    COMMANDS.forEach((name, what) -> {
      CommandLine command = new CommandLine(new LauncherCommand(name));
      command.getCommandSpec().usageMessage().description("(run by the launcher) " + what);
      root.addSubcommand(name, command);
    });
  }

  @Override
  public Integer call() {
    spec.commandLine().getErr().println("novacron: '" + name + "' is run by the launcher of a source checkout, "
        + "starter/bin/novacron, not by the Java CLI alone: run starter/bin/novacron " + name
        + " there (an installed NovaCron runs as systemd services instead: docs/deploy.md)");
    spec.commandLine().getErr().flush();
    return ExitCodes.USAGE;
  }
}
