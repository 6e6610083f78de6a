package io.novacron.checkpoint;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Reads and writes {@link ShardManifest} JSON. */
public final class ShardManifests {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ShardManifests() {}

  /**
   * Writes the manifest into {@code directory}. Written last and renamed into place, so a manifest
   * that exists describes complete shard files.
   */
  public static Path write(ShardManifest manifest, Path directory) throws IOException {
    Path target = directory.resolve(ShardManifest.FILE_NAME);
    Path temp = directory.resolve(ShardManifest.FILE_NAME + ".tmp");
    JSON.writeValue(temp.toFile(), manifest);
    return Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** The manifest in {@code directory}. */
  public static ShardManifest read(Path directory) throws IOException {
    Path file = directory.resolve(ShardManifest.FILE_NAME);
    ShardManifest manifest;
    try {
      manifest = JSON.readValue(file.toFile(), ShardManifest.class);
    } catch (JsonProcessingException e) {
      throw new CheckpointException(file, "not a shard manifest (" + e.getOriginalMessage() + ")");
    }
    if (!ShardManifest.READABLE_FORMATS.contains(manifest.format())) {
      throw new CheckpointException(file, "format '" + manifest.format() + "', expected "
          + ShardManifest.FORMAT + " (or novacron-shards/1): written by another NovaCron version;"
          + " shard the checkpoint again");
    }
    return manifest;
  }
}
