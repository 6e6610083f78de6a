package io.novacron.gpu.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Where a GPU agent may read and write. Deployment files live in its data directory; checkpoints
 * may also be read from the configured checkpoint roots (a shared models directory, say). A path
 * with a {@code ..} segment, or one that resolves (symlinks followed) outside, is refused.
 */
public final class AgentPaths {
  private final Path dataDir;
  private final List<Path> checkpointRoots;

  public AgentPaths(Path dataDir, List<Path> checkpointRoots) throws IOException {
    Files.createDirectories(dataDir);
    this.dataDir = dataDir.toRealPath();
    this.checkpointRoots = checkpointRoots.stream().map(p -> p.toAbsolutePath().normalize()).toList();
  }

  public Path dataDir() {
    return dataDir;
  }

  /**
   * A path inside the data directory (it need not exist yet).
   *
   * @throws IllegalArgumentException when it would leave the data directory
   */
  public Path inData(String relative) {
    Path p = checked(relative, "path");
    Path resolved = dataDir.resolve(p).normalize();
    if (!resolved.startsWith(dataDir) || resolved.equals(dataDir)) {
      throw new IllegalArgumentException("path '" + relative + "' must lie inside the GPU agent's data directory "
          + dataDir);
    }
    return resolved;
  }

  /**
   * A checkpoint directory: relative to the data directory, or absolute inside it or a checkpoint
   * root. Symlinks are resolved before the check.
   *
   * @throws IllegalArgumentException when it lies elsewhere or does not exist
   */
  public Path checkpoint(String path) throws IOException {
    Path p = checked(path, "checkpoint");
    Path resolved = (p.isAbsolute() ? p : dataDir.resolve(p)).normalize();
    if (!Files.isDirectory(resolved)) {
      throw new IllegalArgumentException("checkpoint '" + path + "' is not a directory on this node (looked at "
          + resolved + ")");
    }
    Path real = resolved.toRealPath();
    if (real.startsWith(dataDir)) {
      return real;
    }
    for (Path root : checkpointRoots) {
      if (Files.isDirectory(root) && real.startsWith(root.toRealPath())) {
        return real;
      }
    }
    throw new IllegalArgumentException("checkpoint '" + path + "' lies outside the GPU agent's data directory "
        + dataDir + " and its checkpoint roots " + checkpointRoots + "; move it there or start the agent with"
        + " --checkpoint-roots=<dir>");
  }

  private static Path checked(String path, String what) {
    if (path == null || path.isBlank() || path.indexOf('\0') >= 0) {
      throw new IllegalArgumentException(what + " must be a non-empty path");
    }
    Path p = Path.of(path);
    for (Path part : p) {
      if (part.toString().equals("..")) {
        throw new IllegalArgumentException(what + " '" + path + "' must not contain '..'");
      }
    }
    return p;
  }
}
