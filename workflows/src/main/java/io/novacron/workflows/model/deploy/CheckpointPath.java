package io.novacron.workflows.model.deploy;

import java.util.Optional;

/**
 * The shape of a deployment's checkpoint path, checked where the request arrives (the REST API,
 * the dashboard) rather than first at the source node's GPU agent: absolute, or relative to that
 * agent's data directory, and already normalised, so that what the operator sees is the path the
 * agent opens.
 *
 * <p>Whether the directory exists, and whether it lies inside the agent's data directory or its
 * checkpoint roots (symlinks followed), only the source node can tell: its agent checks that
 * ({@code AgentPaths.checkpoint}) and the run fails naming the path.
 */
public final class CheckpointPath {
  /** Linux's PATH_MAX, with the NUL: no longer path can be opened. */
  public static final int MAX_LENGTH = 4095;

  private CheckpointPath() {}

  /** Why {@code path} is not an acceptable checkpoint path, or empty when it is. */
  public static Optional<String> problem(String path) {
    if (path == null || path.isBlank()) {
      return Optional.of("is required: the checkpoint directory on the source node");
    }
    if (path.length() > MAX_LENGTH) {
      return Optional.of("must be at most " + MAX_LENGTH + " characters, was " + path.length());
    }
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        return Optional.of("must not contain control characters (NUL, newline, ...); found U+"
            + String.format("%04X", (int) c) + " at " + i);
      }
    }
    if (path.equals("/")) {
      return Optional.of("must name a checkpoint directory, not '/'");
    }
    String relative = path.startsWith("/") ? path.substring(1) : path;
    if (relative.endsWith("/")) {
      return Optional.of("must not end with '/': write '" + path.replaceAll("/+$", "") + "'");
    }
    for (String segment : relative.split("/", -1)) {
      if (segment.isEmpty()) {
        return Optional.of("must be normalised: no empty segment ('//'), was '" + path + "'");
      }
      if (segment.equals("..")) {
        return Optional.of("must not contain '..': name the directory itself, absolute or relative to the "
            + "source node's GPU agent data directory");
      }
      if (segment.equals(".")) {
        return Optional.of("must be normalised: no '.' segment, was '" + path + "'");
      }
    }
    return Optional.empty();
  }
}
