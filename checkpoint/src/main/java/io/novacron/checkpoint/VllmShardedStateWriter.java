package io.novacron.checkpoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a checkpoint as vLLM's {@code sharded_state} layout ({@link VllmShardedState}): one
 * {@code model-rank-{r}-part-0.safetensors} per TP rank holding only that rank's bytes, plus the
 * checkpoint's other files (config, tokenizer), copied as vLLM's {@code save_sharded_state.py}
 * copies every file that is not {@code .bin}, {@code .pt} or {@code .safetensors}.
 *
 * <p>Each rank file is written front to back: header first (every shape is known from the config),
 * then each parameter's pieces in order. Row ranges are contiguous in the source and copied in
 * 4 MiB chunks; a row-parallel column range is read a block of rows at a time. Memory stays at two
 * buffers whatever the tensor sizes. No {@link ShardManifest} is written: vLLM neither reads one
 * nor would its names match.
 */
public final class VllmShardedStateWriter {
  static final int BUFFER_BYTES = 4 << 20;

  private VllmShardedStateWriter() {}

  /**
   * The rank files written, by rank, with the SHA-256 (hex) of each whole file, computed from the
   * bytes as they were written: nothing reads the files again to learn it.
   */
  public record Written(List<Path> files, List<String> sha256) {
    public Written {
      files = List.copyOf(files);
      sha256 = List.copyOf(sha256);
    }
  }

  /**
   * Writes the {@code tp} rank files into {@code outDir} (created if absent; files of the same name
   * are overwritten) and returns their paths and digests by rank.
   *
   * @throws IllegalArgumentException where vLLM could not run the model at {@code tp}
   * @throws CheckpointException where a tensor the layout needs is missing or shaped otherwise
   */
  public static Written write(CheckpointInspection checkpoint, int tp, Path outDir) throws IOException {
    return write(checkpoint, tp, outDir, ShardProgress.NONE);
  }

  /**
   * As {@link #write(CheckpointInspection, int, Path)}, reporting after each parameter written the
   * rank-file data bytes written so far and in all (for activity heartbeats).
   */
  public static Written write(CheckpointInspection checkpoint, int tp, Path outDir, ShardProgress progress)
      throws IOException {
    ModelConfig config = checkpoint.config();
    VllmShardedState.check(config, tp);
    Map<String, TensorEntry> byName = new LinkedHashMap<>();
    for (TensorEntry t : checkpoint.tensors()) {
      byName.put(t.name(), t);
    }
    Files.createDirectories(outDir);
    List<Path> files = new ArrayList<>();
    List<String> digests = new ArrayList<>();
    Map<Path, FileChannel> sources = new HashMap<>();
    ByteBuffer buffer = ByteBuffer.allocate(BUFFER_BYTES);
    List<List<VllmShardedState.Param>> ranks = new ArrayList<>();
    for (int rank = 0; rank < tp; rank++) {
      ranks.add(VllmShardedState.rankParams(config, tp, rank, byName.keySet()));
    }
    // Every parameter has its sources' dtype, known before a byte is written; checked again per rank.
    long total = 0;
    for (List<VllmShardedState.Param> params : ranks) {
      for (VllmShardedState.Param param : params) {
        total += TensorEntry.elementCount(param.shape()) * checkSources(param, byName).bytes();
      }
    }
    Progress done = new Progress(progress, total);
    try {
      for (int rank = 0; rank < tp; rank++) {
        Path file = outDir.resolve(VllmShardedState.fileName(rank));
        digests.add(writeRank(ranks.get(rank), byName, sources, rank, tp, checkpoint, file, buffer, done));
        files.add(file);
      }
    } finally {
      for (FileChannel channel : sources.values()) {
        channel.close();
      }
    }
    copyOtherFiles(checkpoint.directory(), outDir);
    return new Written(files, digests);
  }

  /** Writes one rank file front to back, hashing every byte on its way out; returns the digest (hex). */
  private static String writeRank(List<VllmShardedState.Param> params, Map<String, TensorEntry> byName,
      Map<Path, FileChannel> sources, int rank, int tp, CheckpointInspection checkpoint, Path file,
      ByteBuffer buffer, Progress done) throws IOException {
    List<SafetensorsHeaderWriter.Entry> entries = new ArrayList<>();
    List<SafetensorsDtype> dtypes = new ArrayList<>();
    for (VllmShardedState.Param param : params) {
      SafetensorsDtype dtype = checkSources(param, byName);
      dtypes.add(dtype);
      entries.add(new SafetensorsHeaderWriter.Entry(param.name(), dtype, param.shape(),
          TensorEntry.elementCount(param.shape()) * dtype.bytes()));
    }
    Map<String, String> metadata = new LinkedHashMap<>();
    metadata.put("format", "pt");
    metadata.put("novacron.source", checkpoint.config().name());
    metadata.put(VllmRankFileCheck.TP_RANK, Integer.toString(rank));
    metadata.put(VllmRankFileCheck.TP_SIZE, Integer.toString(tp));
    byte[] header = SafetensorsHeaderWriter.header(entries, metadata);
    try (HashingChannel out = new HashingChannel(FileChannel.open(file, StandardOpenOption.CREATE,
        StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING))) {
      out.write(ByteBuffer.allocate(8 + header.length).order(ByteOrder.LITTLE_ENDIAN)
          .putLong(header.length).put(header).flip());
      for (int i = 0; i < params.size(); i++) {
        VllmShardedState.Param param = params.get(i);
        long rowBytes = rowElements(param.shape()) * dtypes.get(i).bytes();
        for (VllmShardedState.Piece piece : param.pieces()) {
          if (piece.source() == null) {
            writeZeros(out, piece.length() * rowBytes, buffer);
          } else if (param.dim() == 0) {
            TensorEntry t = byName.get(piece.source());
            copy(channel(sources, t), t.dataStart() + piece.start() * rowBytes, piece.length() * rowBytes,
                out, buffer);
          } else {
            copyColumns(byName.get(piece.source()), channel(sources, byName.get(piece.source())), piece,
                out, buffer);
          }
        }
        done.add(entries.get(i).byteLength(), param.name());
      }
      out.channel.force(false);
      return out.digest();
    }
  }

  /** A rank file written strictly front to back, and the SHA-256 of what went into it. */
  private static final class HashingChannel implements AutoCloseable {
    final FileChannel channel;
    private final java.security.MessageDigest sha = CheckpointSharder.sha256();

    HashingChannel(FileChannel channel) {
      this.channel = channel;
    }

    void write(ByteBuffer buffer) throws IOException {
      sha.update(buffer.duplicate());
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
    }

    String digest() {
      return java.util.HexFormat.of().formatHex(sha.digest());
    }

    @Override
    public void close() throws IOException {
      channel.close();
    }
  }

  /** The sources' common dtype, after checking each exists and has the rows and width expected. */
  private static SafetensorsDtype checkSources(VllmShardedState.Param param, Map<String, TensorEntry> byName)
      throws CheckpointException {
    SafetensorsDtype dtype = null;
    for (VllmShardedState.Piece piece : param.pieces()) {
      if (piece.source() == null) {
        continue;
      }
      TensorEntry t = byName.get(piece.source());
      if (t == null) {
        throw new CheckpointException(null, piece.source(), "is missing; vLLM's " + param.name()
            + " needs it");
      }
      List<Long> shape = t.shape();
      boolean fits = param.dim() == 0
          ? !shape.isEmpty() && shape.get(0) >= piece.end()
              && rowElements(shape) == rowElements(param.shape())
          : shape.size() == 2 && shape.get(0).equals(param.shape().get(0)) && shape.get(1) >= piece.end();
      if (!fits) {
        throw new CheckpointException(t.file(), t.name(), "has shape " + shape + ", which does not give "
            + param.name() + " " + param.shape() + " as config.json describes the model");
      }
      if (dtype != null && dtype != t.dtype()) {
        throw new CheckpointException(t.file(), t.name(), "is " + t.dtype() + " while the other parts of "
            + param.name() + " are " + dtype + "; vLLM merges them into one tensor");
      }
      dtype = t.dtype();
    }
    if (dtype == null) {
      // All padding: with TP 8 a vocabulary of 100 padded to 128 leaves rank 7 rows 112-127, none
      // of them real. The embedding's dtype is the model's.
      TensorEntry embed = byName.get("model.embed_tokens.weight");
      if (embed == null) {
        throw new CheckpointException(null, "model.embed_tokens.weight", "is missing; vLLM's "
            + param.name() + " needs its dtype");
      }
      dtype = embed.dtype();
    }
    return dtype;
  }

  /** Elements per index of dimension 0. */
  private static long rowElements(List<Long> shape) {
    return shape.size() <= 1 ? 1 : TensorEntry.elementCount(shape.subList(1, shape.size()));
  }

  private static FileChannel channel(Map<Path, FileChannel> sources, TensorEntry t) throws IOException {
    FileChannel channel = sources.get(t.file());
    if (channel == null) {
      channel = FileChannel.open(t.file(), StandardOpenOption.READ);
      sources.put(t.file(), channel);
    }
    return channel;
  }

  private static void copy(FileChannel in, long from, long length, HashingChannel out, ByteBuffer buffer)
      throws IOException {
    for (long done = 0; done < length; ) {
      buffer.clear().limit((int) Math.min(buffer.capacity(), length - done));
      readFully(in, buffer, from + done);
      done += buffer.flip().remaining();
      out.write(buffer);
    }
  }

  /** Columns {@code [start, end)} of a 2-D source, row by row, reading blocks of whole rows. */
  private static void copyColumns(TensorEntry t, FileChannel in, VllmShardedState.Piece piece,
      HashingChannel out, ByteBuffer buffer) throws IOException {
    int width = t.dtype().bytes();
    long rows = t.shape().get(0);
    long rowBytes = t.shape().get(1) * width;
    long sliceBytes = piece.length() * width;
    if (rowBytes > buffer.capacity()) {
      // A row wider than the buffer: read each row's slice alone.
      for (long r = 0; r < rows; r++) {
        copy(in, t.dataStart() + r * rowBytes + piece.start() * width, sliceBytes, out, buffer);
      }
      return;
    }
    long rowsPerBlock = buffer.capacity() / rowBytes;
    ByteBuffer slices = ByteBuffer.allocate((int) (rowsPerBlock * sliceBytes));
    for (long r = 0; r < rows; r += rowsPerBlock) {
      long n = Math.min(rowsPerBlock, rows - r);
      buffer.clear().limit((int) (n * rowBytes));
      readFully(in, buffer, t.dataStart() + r * rowBytes);
      slices.clear();
      for (long i = 0; i < n; i++) {
        int at = (int) (i * rowBytes + piece.start() * width);
        slices.put(buffer.array(), at, (int) sliceBytes);
      }
      out.write(slices.flip());
    }
  }

  private static void writeZeros(HashingChannel out, long length, ByteBuffer buffer) throws IOException {
    java.util.Arrays.fill(buffer.array(), (byte) 0);
    for (long done = 0; done < length; ) {
      buffer.clear().limit((int) Math.min(buffer.capacity(), length - done));
      done += buffer.remaining();
      out.write(buffer);
    }
  }

  private static void readFully(FileChannel in, ByteBuffer buffer, long at) throws IOException {
    for (long pos = at; buffer.hasRemaining(); ) {
      int n = in.read(buffer, pos);
      if (n < 0) {
        throw new IOException("unexpected end of checkpoint data at byte " + pos);
      }
      pos += n;
    }
  }

  /** Bytes written across all rank files, reported after each parameter. */
  private static final class Progress {
    private final ShardProgress sink;
    private final long total;
    private long done;

    Progress(ShardProgress sink, long total) {
      this.sink = sink;
      this.total = total;
    }

    void add(long bytes, String parameter) {
      done += bytes;
      sink.tensorDone(done, total, parameter);
    }
  }

  /** As save_sharded_state.py: every file but weights goes along (config, tokenizer, ...). */
  private static void copyOtherFiles(Path from, Path to) throws IOException {
    try (DirectoryStream<Path> files = Files.newDirectoryStream(from)) {
      for (Path file : files) {
        String name = file.getFileName().toString();
        if (Files.isRegularFile(file) && !name.endsWith(".bin") && !name.endsWith(".pt")
            && !name.endsWith(".safetensors")) {
          Files.copy(file, to.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }
}
