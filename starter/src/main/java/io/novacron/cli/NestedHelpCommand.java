package io.novacron.cli;

import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help;
import picocli.CommandLine.IHelpCommandInitializable2;
import picocli.CommandLine.Parameters;

/**
 * {@code help [COMMAND...]}: the help of the command the words name, however deep
 * ({@code novacron help vm stop}); picocli's own HelpCommand follows one word only.
 */
@Command(name = "help", helpCommand = true,
    description = "Show the help of a command: help vm, help vm stop.")
final class NestedHelpCommand implements IHelpCommandInitializable2, Runnable {
  @Parameters(paramLabel = "COMMAND", arity = "0..*", description = "the command, e.g. vm stop")
  List<String> words = List.of();

  private CommandLine self;
  private Help.ColorScheme colors;
  private PrintWriter out;

  @Override
  public void init(CommandLine helpCommandLine, Help.ColorScheme colorScheme, PrintWriter out, PrintWriter err) {
    this.self = helpCommandLine;
    this.colors = colorScheme;
    this.out = out;
  }

  @Override
  public void run() {
    CommandLine command = self.getParent();
    for (String word : words) {
      CommandLine sub = command.getSubcommands().get(word);
      if (sub == null) {
        throw new CommandLine.ParameterException(self, "Unknown command: '" + String.join(" ", words)
            + "' (" + command.getCommandSpec().qualifiedName() + " has " + String.join(", ",
            command.getSubcommands().keySet()) + ")");
      }
      command = sub;
    }
    command.usage(out, colors);
    out.flush();
  }
}
