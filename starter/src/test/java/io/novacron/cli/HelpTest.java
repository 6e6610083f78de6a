package io.novacron.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code --help} and {@code help} at every level of the command tree, and misuse named with exit 64. */
class HelpTest {
  /** What one CLI run printed and answered. */
  record Ran(int status, String out, String err) {}

  static Ran run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = new NovacronCli(new PrintStream(out, true), new PrintStream(err, true)).run(args);
    return new Ran(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void everyCommandAnswersHelpWithExitZeroAndListsItsSubcommands() {
    List<CommandLine> all = new ArrayList<>();
    collect(new NovacronCli(System.out, System.err).commandLine(), all);
    assertThat(all).hasSizeGreaterThan(50);
    // picocli warns on System.err about a description it cannot format (an unescaped %).
    PrintStream systemErr = System.err;
    ByteArrayOutputStream warnings = new ByteArrayOutputStream();
    System.setErr(new PrintStream(warnings, true));
    try {
      helpOfEach(all);
    } finally {
      System.setErr(systemErr);
    }
    assertThat(warnings.toString(StandardCharsets.UTF_8)).isEmpty();
  }

  private static void helpOfEach(List<CommandLine> all) {
    for (CommandLine command : all) {
      List<String> words = new ArrayList<>(List.of(command.getCommandSpec().qualifiedName().split(" ")));
      words.remove(0);
      words.add("--help");
      Ran help = run(words.toArray(String[]::new));
      assertThat(help.status()).as("novacron %s", words).isZero();
      assertThat(help.err()).as("novacron %s: no warning from the help's formatting", words).isEmpty();
      assertThat(help.out()).as("novacron %s", words).contains("Usage: " + command.getCommandSpec().qualifiedName());
      for (String sub : command.getSubcommands().keySet()) {
        assertThat(help.out()).as("novacron %s lists %s", words, sub).contains(sub);
      }
    }
  }

  private static void collect(CommandLine command, List<CommandLine> into) {
    into.add(command);
    command.getSubcommands().forEach((name, sub) -> {
      // Aliases map to the same command; help is a leaf of its own.
      if (name.equals(sub.getCommandName()) && !name.equals("help")) {
        collect(sub, into);
      }
    });
  }

  @Test
  void theHelpSubcommandWorksAtEveryLevel() {
    Ran top = run("help");
    assertThat(top.status()).isZero();
    assertThat(top.out()).contains("Usage: novacron ", "vm, vms", "migration, migrations", "completion");
    Ran vm = run("help", "vm");
    assertThat(vm.status()).isZero();
    assertThat(vm.out()).contains("Usage: novacron vm ", "migrate", "console");
    Ran stop = run("vm", "help", "stop");
    assertThat(stop.status()).isZero();
    assertThat(stop.out()).contains("Usage: novacron vm stop", "--grace-seconds", "--watch");
    Ran deep = run("help", "vm", "stop");
    assertThat(deep.status()).isZero();
    assertThat(deep.out()).isEqualTo(stop.out());
    Ran unknown = run("help", "vm", "halt");
    assertThat(unknown.status()).isEqualTo(ExitCodes.USAGE);
    assertThat(unknown.err()).contains("Unknown command: 'vm halt'", "novacron vm has", "stop");
  }

  @Test
  void noArgumentsPrintTheHelpWithTheExitCodesAndTheLaunchersCommands() {
    Ran none = run();
    assertThat(none.status()).isZero();
    assertThat(none.out()).contains("Exit status:", "64  usage", "77  auth", "2   refused",
        "completion bash");
    for (String launcher : List.of("up", "down", "status", "lab", "cluster", "bench", "test", "install",
        "chaos")) {
      assertThat(none.out()).containsPattern("(?m)^  " + launcher + " +\\(run by the launcher\\) ");
    }
    assertThat(run("image", "--help").out()).containsPattern("(?m)^  build +\\(run by the launcher\\) ");
  }

  @Test
  void aLaunchersCommandRunInJavaSaysWhereToRunIt() {
    Ran up = run("up");
    assertThat(up.status()).isEqualTo(ExitCodes.USAGE);
    assertThat(up.err()).contains("'up' is run by the launcher of a source checkout, starter/bin/novacron",
        "run starter/bin/novacron up there");
    Ran build = run("image", "build", "debian-12");
    assertThat(build.status()).isEqualTo(ExitCodes.USAGE);
    assertThat(build.err()).contains("'image build' is run by the launcher");
  }

  @Test
  void modelPlanHelpIsHelpNotAnUnknownFlag() {
    Ran help = run("model", "plan", "--help");
    assertThat(help.status()).isZero();
    assertThat(help.out()).contains("--gpus-per-node", "--checkpoint", "llama");
  }

  @Test
  void anUnknownOptionIsUsageNamingTheOption() {
    Ran bogus = run("vm", "list", "--bogus");
    assertThat(bogus.status()).isEqualTo(ExitCodes.USAGE);
    assertThat(bogus.err()).contains("Unknown option: '--bogus'", "see: novacron vm list --help");
    Ran typed = run("runs", "list", "--size=many");
    assertThat(typed.status()).isEqualTo(ExitCodes.USAGE);
    assertThat(typed.err()).contains("Invalid value for option '--size': 'many' is not an int");
    Ran group = run("vm");
    assertThat(group.status()).isEqualTo(ExitCodes.USAGE);
    assertThat(group.err()).contains("Missing required subcommand", "Usage: novacron vm ", "migrate");
    Ran command = run("vm", "frobnicate");
    assertThat(command.status()).isEqualTo(ExitCodes.USAGE);
    assertThat(command.err()).contains("'frobnicate'");
    Ran format = run("vm", "list", "-o", "xml");
    assertThat(format.status()).isEqualTo(ExitCodes.USAGE);
    assertThat(format.err()).contains("--output", "xml", "json, yaml");
  }

  @Test
  void completionPrintsAScriptForEveryCommand() {
    Ran bash = run("completion", "bash");
    assertThat(bash.status()).isZero();
    assertThat(bash.out()).contains("complete -F", "novacron", "migrate", "--grace-seconds", "bashcompinit");
    assertThat(run("completion", "zsh").out()).isEqualTo(bash.out());
    assertThat(run("completion", "fish").status()).isEqualTo(ExitCodes.USAGE);
  }
}
