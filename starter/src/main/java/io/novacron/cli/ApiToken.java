package io.novacron.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The bearer token the CLI sends, and where it came from (for error messages). Looked for in
 * order: {@code NOVACRON_TOKEN}; the file named by {@code NOVACRON_TOKEN_FILE}; the admin token
 * {@code novacron up} writes to {@code $NOVACRON_DATA_DIR/admin-token} (default /var/lib/novacron).
 */
record ApiToken(String value, String source) {
  static final String DEFAULT_DATA_DIR = "/var/lib/novacron";

  /** The token the environment names, or empty when none is set and no token file is readable. */
  static Optional<ApiToken> from(Map<String, String> env) throws IOException {
    String direct = env.get("NOVACRON_TOKEN");
    if (direct != null && !direct.isBlank()) {
      return Optional.of(new ApiToken(direct.strip(), "NOVACRON_TOKEN"));
    }
    String named = env.get("NOVACRON_TOKEN_FILE");
    if (named != null && !named.isBlank()) {
      Path file = Path.of(named);
      if (!Files.isReadable(file)) {
        throw new IOException("NOVACRON_TOKEN_FILE names " + file + ", which does not exist or is not readable");
      }
      return Optional.of(new ApiToken(read(file), "NOVACRON_TOKEN_FILE (" + file + ")"));
    }
    Path launcherFile = Path.of(env.getOrDefault("NOVACRON_DATA_DIR", DEFAULT_DATA_DIR), "admin-token");
    if (Files.isReadable(launcherFile)) {
      return Optional.of(new ApiToken(read(launcherFile), launcherFile.toString()));
    }
    return Optional.empty();
  }

  private static String read(Path file) throws IOException {
    return Files.readString(file, StandardCharsets.UTF_8).strip();
  }
}
