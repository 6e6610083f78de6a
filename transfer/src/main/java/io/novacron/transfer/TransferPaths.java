package io.novacron.transfer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Keeps every file a transfer reads or writes inside the agent's data directory. A request names
 * paths; a peer with a token, or a workflow with a typo, must not reach {@code /etc/shadow} with
 * {@code ../../etc/shadow} or through a symlink that points out of the directory.
 *
 * <p>The checks: no {@code ..} segment at all (even one that would normalise back inside: such a
 * request is a bug or an attack); an absolute path must lie under the data directory; the real
 * path (symlinks resolved) of the nearest existing ancestor must lie under the data directory's
 * real path, both before and after missing parent directories are created; the target itself
 * must not be a symlink; the engine's own state directory is off limits.
 */
public final class TransferPaths {
  /** Sessions, tombstones and the generated secret live here, under the data directory. */
  public static final String STATE_DIR = ".transfers";

  private final Path configured;
  private final Path root;

  public TransferPaths(Path dataDir) throws IOException {
    this.configured = dataDir.toAbsolutePath().normalize();
    Files.createDirectories(configured);
    this.root = configured.toRealPath();
    Files.createDirectories(root.resolve(STATE_DIR));
  }

  /** The data directory (real path). */
  public Path root() {
    return root;
  }

  public Path stateDir() {
    return root.resolve(STATE_DIR);
  }

  /**
   * A file to receive into: confined, parents created, not a symlink, not a directory. Returns the
   * path with its parent resolved to a real path.
   */
  public Path target(String path) throws TransferException {
    Path p = confined(path);
    try {
      Path parent = p.getParent();
      checkExistingAncestor(parent, path);
      Files.createDirectories(parent);
      Path realParent = parent.toRealPath();
      if (!inside(realParent)) {
        throw rejected(path, "its directory resolves outside the data directory");
      }
      Path target = realParent.resolve(p.getFileName());
      if (Files.isSymbolicLink(target)) {
        throw rejected(path, "it is a symbolic link");
      }
      if (Files.exists(target, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
        throw rejected(path, "it exists and is not a regular file");
      }
      return target;
    } catch (IOException e) {
      if (e instanceof TransferException te) {
        throw te;
      }
      throw new TransferException(TransferError.PATH_REJECTED, "cannot prepare '" + path + "': " + e.getMessage(), e);
    }
  }

  /** A file to send: confined, existing, a regular file whose real path is inside. */
  public Path source(String path) throws TransferException {
    Path p = confined(path);
    if (!Files.exists(p)) {
      throw new TransferException(TransferError.SOURCE_NOT_FOUND, "no file '" + path + "' in the data directory");
    }
    try {
      Path real = p.toRealPath();
      if (!inside(real)) {
        throw rejected(path, "it resolves outside the data directory");
      }
      if (!Files.isRegularFile(real)) {
        throw new TransferException(TransferError.SOURCE_NOT_FOUND, "'" + path + "' is not a regular file");
      }
      return real;
    } catch (IOException e) {
      if (e instanceof TransferException te) {
        throw te;
      }
      throw new TransferException(TransferError.SOURCE_NOT_FOUND, "cannot read '" + path + "': " + e.getMessage(), e);
    }
  }

  /** Whether a target path (as {@link #target} returned it) still resolves inside: re-checked at commit. */
  public boolean stillInside(Path target) {
    try {
      return inside(target.getParent().toRealPath()) && !Files.isSymbolicLink(target);
    } catch (IOException e) {
      return false;
    }
  }

  private Path confined(String path) throws TransferException {
    if (path == null || path.isBlank() || path.indexOf('\0') >= 0) {
      throw rejected(String.valueOf(path), "it is empty or contains NUL");
    }
    for (String part : path.split("[/\\\\]")) {
      if (part.equals("..")) {
        throw rejected(path, "it contains '..'");
      }
    }
    Path p = Path.of(path);
    if (p.isAbsolute()) {
      p = p.normalize();
      if (p.startsWith(configured)) {
        p = root.resolve(configured.relativize(p));
      }
    } else {
      p = root.resolve(p).normalize();
    }
    if (!p.startsWith(root) || p.equals(root)) {
      throw rejected(path, "it is not inside the data directory " + configured);
    }
    if (p.startsWith(stateDir())) {
      throw rejected(path, "the transfer engine's state directory is off limits");
    }
    return p;
  }

  private void checkExistingAncestor(Path dir, String path) throws IOException {
    Path existing = dir;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing == null || !inside(existing.toRealPath())) {
      throw rejected(path, "its directory resolves outside the data directory");
    }
  }

  private boolean inside(Path real) {
    return real.startsWith(root);
  }

  private static TransferException rejected(String path, String why) {
    return new TransferException(TransferError.PATH_REJECTED, "path '" + path + "' refused: " + why);
  }
}
