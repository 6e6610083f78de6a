package io.novacron.checkpoint;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A checkpoint that cannot be used as it is: a malformed header, offsets that overlap or leave the
 * file, an unknown dtype, a missing or inconsistent config or index. The message names the file
 * and, where one is at fault, the tensor.
 */
public class CheckpointException extends IOException {
  private final Path file;
  private final String tensor;

  public CheckpointException(Path file, String tensor, String problem) {
    super(describe(file, tensor, problem));
    this.file = file;
    this.tensor = tensor;
  }

  public CheckpointException(Path file, String problem) {
    this(file, null, problem);
  }

  public CheckpointException(Path file, String problem, Throwable cause) {
    super(describe(file, null, problem), cause);
    this.file = file;
    this.tensor = null;
  }

  /** The file at fault. */
  public Path file() {
    return file;
  }

  /** The tensor at fault, or null where the problem is the file's. */
  public String tensor() {
    return tensor;
  }

  private static String describe(Path file, String tensor, String problem) {
    return file + (tensor == null ? "" : ", tensor '" + tensor + "'") + ": " + problem;
  }
}
