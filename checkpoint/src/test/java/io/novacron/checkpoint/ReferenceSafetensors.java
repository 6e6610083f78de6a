package io.novacron.checkpoint;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The reference safetensors library (Python, in the venv {@code novacron install} makes at
 * {@code $NOVACRON_MODEL_VENV}, default {@code ~/.cache/novacron/model-venv}), run on files to get
 * its verdict: ACCEPT when {@code safe_open} lists the keys, REFUSE otherwise.
 */
final class ReferenceSafetensors {
  private static final String SCRIPT = """
      import sys
      from safetensors import safe_open
      for path in sys.argv[1:]:
          try:
              with safe_open(path, "np") as f:
                  list(f.keys())
              print("ACCEPT")
          except Exception as e:
              print("REFUSE " + type(e).__name__ + ": " + str(e).splitlines()[0][:200])
      """;

  private ReferenceSafetensors() {}

  /** The venv's python, where the venv exists with safetensors in it. */
  static Optional<Path> python() {
    String env = System.getenv("NOVACRON_MODEL_VENV");
    Path venv = env != null ? Path.of(env)
        : Path.of(System.getProperty("user.home"), ".cache", "novacron", "model-venv");
    Path python = venv.resolve("bin").resolve("python");
    return Files.isExecutable(python) ? Optional.of(python) : Optional.empty();
  }

  /** The reference's verdict line for each file, in order. */
  static Map<Path, String> verdicts(Path python, List<Path> files) throws IOException,
      InterruptedException {
    List<String> command = new java.util.ArrayList<>(List.of(python.toString(), "-c", SCRIPT));
    files.forEach(f -> command.add(f.toString()));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("reference safetensors did not finish in 120 s");
    }
    List<String> lines = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
        .lines().toList();
    if (p.exitValue() != 0 || lines.size() != files.size()) {
      throw new IOException("reference safetensors failed (exit " + p.exitValue() + "): " + lines);
    }
    Map<Path, String> out = new LinkedHashMap<>();
    for (int i = 0; i < files.size(); i++) {
      out.put(files.get(i), lines.get(i));
    }
    return out;
  }
}
