package io.novacron.gpu.deploy;

import io.novacron.checkpoint.CheckpointException;
import io.novacron.checkpoint.CheckpointInspector;
import io.novacron.checkpoint.ModelConfig;
import io.novacron.checkpoint.ModelConfigReader;
import io.novacron.checkpoint.SafetensorsHeader;
import io.novacron.checkpoint.SafetensorsHeaderReader;
import io.novacron.checkpoint.VllmRankFileCheck;
import io.novacron.checkpoint.VllmShardedState;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.function.LongConsumer;

/**
 * A node's files in format {@code vllm-sharded-state}: {@code model-rank-{r}-part-0.safetensors}
 * per TP rank held here and the {@code config.json} beside them. There is no manifest: each file's
 * SHA-256 is checked against the shard set before this runs, and this checks what a SHA-256
 * cannot, that each rank file holds the names and shapes vLLM's rank expects of that config
 * ({@link VllmRankFileCheck}). {@link #load} also reads every byte, as vLLM would, for the
 * reference loader.
 */
public final class VllmShardFiles {
  private VllmShardFiles() {}

  /**
   * Checks each rank's file header against the config in {@code dir}.
   *
   * @throws CheckpointException naming the file (and tensor) that vLLM could not load
   */
  public static ManifestVerifier.Report check(Path dir, Set<Integer> ranks) throws IOException {
    return read(dir, ranks, null, done -> {});
  }

  /**
   * As {@link #check}, then streams each file's tensor data through one buffer into {@code sink}.
   *
   * @param progress data bytes read so far
   */
  public static ManifestVerifier.Report load(Path dir, Set<Integer> ranks, ManifestVerifier.ChunkSink sink,
      LongConsumer progress) throws IOException {
    return read(dir, ranks, sink, progress);
  }

  private static ManifestVerifier.Report read(Path dir, Set<Integer> ranks, ManifestVerifier.ChunkSink sink,
      LongConsumer progress) throws IOException {
    Path configFile = dir.resolve(CheckpointInspector.CONFIG);
    if (!Files.isRegularFile(configFile)) {
      throw new CheckpointException(dir, "no " + CheckpointInspector.CONFIG + " beside the vLLM rank files");
    }
    ModelConfig config = ModelConfigReader.read(configFile, dir.getFileName().toString());
    String model = config.name();
    int tensors = 0;
    long bytes = 0;
    ByteBuffer buffer = sink == null ? null : ByteBuffer.allocate(ManifestVerifier.CHUNK_BYTES);
    for (int rank : ranks) {
      Path file = dir.resolve(VllmShardedState.fileName(rank));
      if (!Files.isRegularFile(file)) {
        throw new CheckpointException(file, "rank " + rank + "'s vLLM rank file is missing");
      }
      SafetensorsHeader header = SafetensorsHeaderReader.read(file);
      VllmRankFileCheck.Checked checked = VllmRankFileCheck.check(config, header, rank);
      if (checked.source() != null) {
        model = checked.source();
      }
      tensors += checked.tensors();
      if (sink == null) {
        bytes += checked.dataBytes();
      } else {
        bytes += stream(file, header, sink, rank, buffer, bytes, progress);
      }
    }
    return new ManifestVerifier.Report(model, ranks.size(), tensors, bytes);
  }

  private static long stream(Path file, SafetensorsHeader header, ManifestVerifier.ChunkSink sink, int rank,
      ByteBuffer buffer, long before, LongConsumer progress) throws IOException {
    long read = 0;
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      for (var tensor : header.tensors()) {
        long at = tensor.dataStart();
        long end = at + tensor.byteLength();
        while (at < end) {
          buffer.clear().limit((int) Math.min(buffer.capacity(), end - at));
          int n = channel.read(buffer, at);
          if (n < 0) {
            throw new CheckpointException(file, tensor.name(), "file ends inside the tensor's data");
          }
          at += n;
          read += n;
          sink.accept(tensor.name(), rank, buffer.flip());
          progress.accept(before + read);
        }
      }
    }
    return read;
  }
}
