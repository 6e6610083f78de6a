package io.novacron.gpu.deploy;

import io.novacron.checkpoint.CheckpointException;
import io.novacron.checkpoint.ShardManifest;
import io.novacron.checkpoint.ShardManifests;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.function.LongConsumer;

/**
 * Checks a node's rank files against the manifest beside them: each file's size, and the SHA-256
 * of every tensor piece of the given ranks. Reads each file front to back through one buffer; a
 * {@link ChunkSink} sees every verified-so-far chunk (the reference loader keeps some of them
 * resident), so memory is bounded by what the sink keeps.
 */
public final class ManifestVerifier {
  static final int CHUNK_BYTES = 1 << 20;

  /** Receives each chunk of a piece as it is read; the buffer is reused after the call returns. */
  @FunctionalInterface
  public interface ChunkSink {
    ChunkSink NONE = (tensor, rank, chunk) -> {};

    void accept(String tensor, int rank, ByteBuffer chunk);
  }

  /** What was verified. */
  public record Report(String model, int files, int pieces, long bytes) {}

  private record Located(ShardManifest.ShardedTensor tensor, ShardManifest.Piece piece) {}

  private ManifestVerifier() {}

  /**
   * @param ranks the ranks whose files and pieces to verify
   * @param progress bytes of piece data verified so far
   * @throws CheckpointException naming the file (and tensor) that does not match
   */
  public static Report verify(Path dir, Set<Integer> ranks, ChunkSink sink, LongConsumer progress)
      throws IOException {
    ShardManifest manifest = ShardManifests.read(dir);
    int files = 0;
    int pieces = 0;
    long bytes = 0;
    ByteBuffer buffer = ByteBuffer.allocate(CHUNK_BYTES);
    for (ShardManifest.ShardFile file : manifest.files()) {
      if (!ranks.contains(file.rank())) {
        continue;
      }
      Path path = presentWithItsSize(dir, file);
      List<Located> located = new ArrayList<>();
      for (ShardManifest.ShardedTensor tensor : manifest.tensors()) {
        for (ShardManifest.Piece piece : tensor.pieces()) {
          if (piece.rank() == file.rank()) {
            located.add(new Located(tensor, piece));
          }
        }
      }
      located.sort(Comparator.comparingLong(l -> l.piece().begin()));
      try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
        long dataStart = dataStart(channel, path);
        for (Located l : located) {
          bytes += verifyPiece(channel, path, dataStart, l, buffer, sink);
          pieces++;
          progress.accept(bytes);
        }
      }
      files++;
    }
    return new Report(manifest.source(), files, pieces, bytes);
  }

  /**
   * As {@link #verify} without reading tensor data: each rank file's size, and every piece of those
   * ranks inside the file's data section. For files whose SHA-256 was checked just before (on
   * receipt), where digesting every piece again would only read the same bytes a second time.
   *
   * @throws CheckpointException naming the file (and tensor) that does not match
   */
  public static Report checkLayout(Path dir, Set<Integer> ranks) throws IOException {
    ShardManifest manifest = ShardManifests.read(dir);
    int files = 0;
    int pieces = 0;
    long bytes = 0;
    for (ShardManifest.ShardFile file : manifest.files()) {
      if (!ranks.contains(file.rank())) {
        continue;
      }
      Path path = presentWithItsSize(dir, file);
      long size = file.bytes();
      long dataStart;
      try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
        dataStart = dataStart(channel, path);
      }
      for (ShardManifest.ShardedTensor tensor : manifest.tensors()) {
        for (ShardManifest.Piece piece : tensor.pieces()) {
          if (piece.rank() != file.rank()) {
            continue;
          }
          if (piece.begin() < 0 || piece.end() < piece.begin() || dataStart + piece.end() > size) {
            throw new CheckpointException(path, tensor.name(), "bytes " + piece.begin() + ".." + piece.end()
                + " of the data section lie outside the file (" + size + " bytes): the manifest does not match it");
          }
          bytes += piece.end() - piece.begin();
          pieces++;
        }
      }
      files++;
    }
    return new Report(manifest.source(), files, pieces, bytes);
  }

  /** The rank file's path, once it is there with the size the manifest names. */
  private static Path presentWithItsSize(Path dir, ShardManifest.ShardFile file) throws IOException {
    Path path = dir.resolve(file.file());
    if (!Files.isRegularFile(path)) {
      throw new CheckpointException(path, "rank " + file.rank() + "'s shard file is missing");
    }
    long size = Files.size(path);
    if (size != file.bytes()) {
      throw new CheckpointException(path, size + " bytes, the manifest says " + file.bytes());
    }
    return path;
  }

  private static long dataStart(FileChannel channel, Path path) throws IOException {
    ByteBuffer head = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    while (head.hasRemaining()) {
      if (channel.read(head, head.position()) < 0) {
        throw new CheckpointException(path, "shorter than a safetensors header");
      }
    }
    return 8 + head.flip().getLong();
  }

  private static long verifyPiece(FileChannel channel, Path path, long dataStart, Located l, ByteBuffer buffer,
      ChunkSink sink) throws IOException {
    ShardManifest.Piece piece = l.piece();
    MessageDigest digest = FileDigests.newSha256();
    long at = dataStart + piece.begin();
    long end = dataStart + piece.end();
    while (at < end) {
      buffer.clear().limit((int) Math.min(buffer.capacity(), end - at));
      int n = channel.read(buffer, at);
      if (n < 0) {
        throw new CheckpointException(path, l.tensor().name(), "file ends inside the tensor's data");
      }
      at += n;
      buffer.flip();
      digest.update(buffer.duplicate());
      sink.accept(l.tensor().name(), piece.rank(), buffer);
    }
    String actual = HexFormat.of().formatHex(digest.digest());
    if (!actual.equals(piece.sha256())) {
      throw new CheckpointException(path, l.tensor().name(), "SHA-256 " + actual + " does not match the manifest's "
          + piece.sha256() + ": the shard is corrupt; deploy again to resend it");
    }
    return piece.end() - piece.begin();
  }
}
