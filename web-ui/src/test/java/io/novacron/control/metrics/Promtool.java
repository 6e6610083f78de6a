package io.novacron.control.metrics;

import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's {@code promtool} (package {@code prometheus}; {@code starter/bin/novacron install}
 * installs it, as {@code novacron test} does). Missing, it fails the test with that advice, unless
 * the run says {@code -Dnovacron.promtool.skip=true} (off CI, on a machine without the package),
 * which skips the test instead. {@code -Dnovacron.promtool=PATH} points at another binary.
 */
final class Promtool {
  static final String PATH = System.getProperty("novacron.promtool", "/usr/bin/promtool");

  /** What one promtool run printed and returned. */
  record Result(int exitCode, String output) {
    /** The output lines that are about a {@code novacron_} metric. */
    List<String> novacronComplaints() {
      return output.lines().filter(line -> line.startsWith("novacron_")).toList();
    }
  }

  private Promtool() {}

  /** Runs {@code promtool args...} in {@code dir} with {@code stdin} as its input. */
  static Result run(Path dir, String stdin, String... args) throws IOException, InterruptedException {
    if (!new File(PATH).canExecute()) {
      Assumptions.assumeFalse(Boolean.getBoolean("novacron.promtool.skip"),
          "promtool checks skipped (-Dnovacron.promtool.skip=true)");
      fail(PATH + " is missing: run `starter/bin/novacron install` (Debian package prometheus), or skip these"
          + " checks off CI with -Dnovacron.promtool.skip=true");
    }
    List<String> command = new ArrayList<>(List.of(PATH));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    try (var in = process.getOutputStream()) {
      in.write(stdin.getBytes(StandardCharsets.UTF_8));
    }
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      fail("promtool " + String.join(" ", args) + " did not end within 60 s");
    }
    return new Result(process.exitValue(), output);
  }
}
