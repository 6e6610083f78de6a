package io.novacron.checkpoint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a checkpoint's files may really live. A file (or a link to one) is read only if its real
 * path is inside the checkpoint directory's real path, or, for a Hugging Face cache snapshot
 * ({@code models--org--name/snapshots/REV}), inside that same repo cache's {@code blobs/}
 * directory, where the hub client keeps the bytes its snapshot links point to. Anything else (a
 * link to {@code /etc}, to another model's cache) is refused, so that a checkpoint handed to the
 * control plane cannot make it read files outside the checkpoint.
 */
final class SymlinkPolicy {
  private SymlinkPolicy() {}

  /** The real path of {@code file} in {@code directory}, or a CheckpointException naming both. */
  static Path resolve(Path directory, Path file) throws IOException {
    Path root = directory.toRealPath();
    Path real;
    try {
      real = file.toRealPath();
    } catch (IOException e) {
      throw new CheckpointException(file, "cannot be resolved (" + e.getMessage()
          + "); a dangling link?");
    }
    if (real.startsWith(root)) {
      return real;
    }
    Path blobs = hubBlobs(root);
    if (blobs != null && real.startsWith(blobs)) {
      return real;
    }
    throw new CheckpointException(file, "links to " + real + ", outside the checkpoint directory"
        + (blobs == null ? "" : " and its Hugging Face cache's " + blobs)
        + "; copy the file into the checkpoint or point --checkpoint at the directory that holds it");
  }

  /** {@code models--org--name/blobs} where {@code root} is that repo cache's snapshot, else null. */
  static Path hubBlobs(Path root) throws IOException {
    Path snapshots = root.getParent();
    Path repo = snapshots == null ? null : snapshots.getParent();
    if (repo == null || !snapshots.getFileName().toString().equals("snapshots")
        || !repo.getFileName().toString().startsWith("models--")) {
      return null;
    }
    Path blobs = repo.resolve("blobs");
    return Files.isDirectory(blobs) ? blobs.toRealPath() : null;
  }
}
