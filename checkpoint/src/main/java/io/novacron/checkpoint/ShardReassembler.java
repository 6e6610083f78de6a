package io.novacron.checkpoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Puts sharded tensors back together from their pieces, to prove that sharding lost and changed
 * nothing, or to write the checkpoint back out as one file.
 *
 * <p>Every piece is read and its SHA-256 checked against the manifest, replicas included; every
 * piece's place in its shard file comes from that file's own (validated) safetensors header and
 * must match the manifest. Reading is sequential per shard file, through bounded buffers.
 */
public final class ShardReassembler {
  static final int BUFFER_BYTES = 1 << 20;

  /**
   * What a verification covered.
   *
   * @param tensors tensors rebuilt and compared
   * @param pieces pieces read and checksummed
   * @param bytes bytes of rebuilt tensor data compared
   */
  public record Report(int tensors, int pieces, long bytes) {}

  /** Receives a rebuilt tensor's bytes in order. */
  private interface Sink {
    void accept(ByteBuffer chunk) throws IOException;
  }

  private final Path shardDir;
  private final ShardManifest manifest;
  private final Map<String, SafetensorsHeader> headers = new HashMap<>();
  private final Map<String, Map<String, TensorEntry>> entries = new HashMap<>();
  private final Map<String, SequentialReader> readers = new HashMap<>();

  private ShardReassembler(Path shardDir, ShardManifest manifest) {
    this.shardDir = shardDir;
    this.manifest = manifest;
  }

  /**
   * Rebuilds every tensor of the shards in {@code shardDir} and compares it byte for byte with
   * {@code original}, and its SHA-256 with the manifest's.
   *
   * @throws CheckpointException naming the first tensor or piece that differs
   */
  public static Report verify(Path shardDir, CheckpointInspection original) throws IOException {
    ShardManifest manifest = ShardManifests.read(shardDir);
    Map<String, TensorEntry> originals = new LinkedHashMap<>();
    original.tensors().forEach(t -> originals.put(t.name(), t));
    Path manifestFile = shardDir.resolve(ShardManifest.FILE_NAME);
    if (manifest.tensors().size() != originals.size()) {
      throw new CheckpointException(manifestFile, "lists " + manifest.tensors().size()
          + " tensors, the checkpoint has " + originals.size());
    }
    ShardReassembler reassembler = new ShardReassembler(shardDir, manifest);
    Map<Path, SequentialReader> originalReaders = new HashMap<>();
    int pieces = 0;
    long bytes = 0;
    try {
      for (ShardManifest.ShardedTensor t : manifest.tensors()) {
        TensorEntry source = originals.get(t.name());
        if (source == null) {
          throw new CheckpointException(manifestFile, t.name(), "not in the checkpoint");
        }
        SequentialReader in = originalReaders.get(source.file());
        if (in == null) {
          in = new SequentialReader(source.file(), BUFFER_BYTES);
          originalReaders.put(source.file(), in);
        }
        in.seek(source.dataStart());
        SequentialReader originalBytes = in;
        long[] compared = {0};
        reassembler.rebuild(t, chunk -> {
          while (chunk.hasRemaining()) {
            ByteBuffer expected = originalBytes.next(chunk.remaining());
            ByteBuffer actual = chunk.slice().limit(expected.remaining());
            int at = actual.mismatch(expected);
            if (at >= 0) {
              throw new CheckpointException(source.file(), t.name(),
                  "reassembled bytes differ from the original at byte " + (compared[0] + at));
            }
            compared[0] += expected.remaining();
            chunk.position(chunk.position() + expected.remaining());
          }
        });
        if (compared[0] != source.byteLength()) {
          throw new CheckpointException(source.file(), t.name(), "reassembled " + compared[0]
              + " bytes, the original has " + source.byteLength());
        }
        pieces += t.pieces().size();
        bytes += compared[0];
      }
    } finally {
      for (SequentialReader r : originalReaders.values()) {
        r.close();
      }
      reassembler.closeReaders();
    }
    return new Report(manifest.tensors().size(), pieces, bytes);
  }

  /** Writes the tensors of the shards in {@code shardDir} back into one safetensors file. */
  public static void reassemble(Path shardDir, Path outFile) throws IOException {
    ShardManifest manifest = ShardManifests.read(shardDir);
    List<SafetensorsHeaderWriter.Entry> entries = new ArrayList<>();
    for (ShardManifest.ShardedTensor t : manifest.tensors()) {
      SafetensorsDtype dtype = SafetensorsDtype.byName(t.dtype()).orElseThrow(() ->
          new CheckpointException(shardDir.resolve(ShardManifest.FILE_NAME), t.name(),
              "unknown dtype '" + t.dtype() + "'"));
      entries.add(new SafetensorsHeaderWriter.Entry(t.name(), dtype, t.shape(),
          TensorEntry.elementCount(t.shape()) * dtype.bytes()));
    }
    byte[] header = SafetensorsHeaderWriter.header(entries, Map.of("format", "pt"));
    ShardReassembler reassembler = new ShardReassembler(shardDir, manifest);
    try (RankFileWriter out = new RankFileWriter(outFile, header, BUFFER_BYTES)) {
      for (ShardManifest.ShardedTensor t : manifest.tensors()) {
        reassembler.rebuild(t, out::write);
      }
    } finally {
      reassembler.closeReaders();
    }
  }

  /** Streams tensor {@code t}'s original bytes into {@code sink}, checking every piece on the way. */
  private void rebuild(ShardManifest.ShardedTensor t, Sink sink) throws IOException {
    Path manifestFile = shardDir.resolve(ShardManifest.FILE_NAME);
    List<ShardManifest.Piece> primaries = primaries(t, manifestFile);
    long outer = 1;
    for (int d = 0; d < t.dim() && d < t.shape().size(); d++) {
      outer *= t.shape().get(d);
    }
    long dimSize = t.shape().isEmpty() ? 1 : t.shape().get(t.dim());
    SafetensorsDtype dtype = SafetensorsDtype.byName(t.dtype()).orElseThrow(() ->
        new CheckpointException(manifestFile, t.name(), "unknown dtype '" + t.dtype() + "'"));
    long total = TensorEntry.elementCount(t.shape()) * dtype.bytes();
    long inner = outer * dimSize == 0 ? 0 : total / (outer * dimSize);

    // Split tensors carry no digest of their own (format 2): their pieces' digests cover them.
    MessageDigest whole = t.sha256() == null ? null : CheckpointSharder.sha256();
    Map<ShardManifest.Piece, MessageDigest> pieceDigests = new HashMap<>();
    for (ShardManifest.Piece p : primaries) {
      pieceDigests.put(p, CheckpointSharder.sha256());
      reader(p.file()).seek(locate(t, p, dtype));
    }
    for (long o = 0; o < outer && inner > 0; o++) {
      for (ShardManifest.Piece p : primaries) {
        long remaining = (p.sliceEnd() - p.sliceStart()) * inner;
        SequentialReader reader = reader(p.file());
        while (remaining > 0) {
          ByteBuffer chunk = reader.next(remaining);
          remaining -= chunk.remaining();
          pieceDigests.get(p).update(chunk.duplicate());
          if (whole != null) {
            whole.update(chunk.duplicate());
          }
          sink.accept(chunk);
        }
      }
    }
    for (ShardManifest.Piece p : primaries) {
      checkDigest(t, p, HexFormat.of().formatHex(pieceDigests.get(p).digest()));
    }
    for (ShardManifest.Piece p : t.pieces()) {
      if (!primaries.contains(p)) {
        checkReplica(t, p, dtype);
      }
    }
    String digest = whole == null ? null : HexFormat.of().formatHex(whole.digest());
    if (whole != null && !digest.equals(t.sha256())) {
      throw new CheckpointException(manifestFile, t.name(), "reassembled SHA-256 " + digest
          + " differs from the manifest's " + t.sha256());
    }
  }

  /** One piece per distinct slice (the lowest rank's), in slice order, tiling the split dimension. */
  private static List<ShardManifest.Piece> primaries(ShardManifest.ShardedTensor t, Path manifestFile)
      throws CheckpointException {
    Map<String, ShardManifest.Piece> bySlice = new LinkedHashMap<>();
    t.pieces().stream().sorted(Comparator.comparingInt(ShardManifest.Piece::rank))
        .forEach(p -> bySlice.putIfAbsent(p.sliceStart() + ":" + p.sliceEnd(), p));
    List<ShardManifest.Piece> primaries = new ArrayList<>(bySlice.values());
    primaries.sort(Comparator.comparingLong(ShardManifest.Piece::sliceStart)
        .thenComparingLong(ShardManifest.Piece::sliceEnd));
    long dimSize = t.shape().isEmpty() ? 1 : t.shape().get(t.dim());
    long next = 0;
    for (ShardManifest.Piece p : primaries) {
      if (p.sliceStart() != next && !(p.sliceStart() == p.sliceEnd() && p.sliceStart() <= next)) {
        throw new CheckpointException(manifestFile, t.name(), "pieces do not tile dimension " + t.dim()
            + ": expected a slice from " + next + ", found [" + p.sliceStart() + ", " + p.sliceEnd() + ")");
      }
      next = Math.max(next, p.sliceEnd());
    }
    if (next != dimSize) {
      throw new CheckpointException(manifestFile, t.name(), "pieces cover " + next + " of "
          + dimSize + " along dimension " + t.dim());
    }
    return primaries;
  }

  private void checkReplica(ShardManifest.ShardedTensor t, ShardManifest.Piece p, SafetensorsDtype dtype)
      throws IOException {
    SequentialReader reader = reader(p.file());
    reader.seek(locate(t, p, dtype));
    MessageDigest digest = CheckpointSharder.sha256();
    long remaining = p.end() - p.begin();
    while (remaining > 0) {
      ByteBuffer chunk = reader.next(remaining);
      remaining -= chunk.remaining();
      digest.update(chunk);
    }
    checkDigest(t, p, HexFormat.of().formatHex(digest.digest()));
  }

  private void checkDigest(ShardManifest.ShardedTensor t, ShardManifest.Piece p, String actual)
      throws CheckpointException {
    if (!actual.equals(p.sha256())) {
      throw new CheckpointException(shardDir.resolve(p.file()), t.name(), "piece of rank " + p.rank()
          + " has SHA-256 " + actual + ", the manifest says " + p.sha256());
    }
  }

  /** The absolute offset of piece {@code p}, after checking the shard's header agrees with the manifest. */
  private long locate(ShardManifest.ShardedTensor t, ShardManifest.Piece p, SafetensorsDtype dtype)
      throws IOException {
    SafetensorsHeader header = header(p.file());
    Path file = header.file();
    TensorEntry entry = entries.get(p.file()).get(t.name());
    if (entry == null) {
      throw new CheckpointException(file, t.name(), "missing from the shard");
    }
    long begin = entry.dataStart() - header.dataStart();
    if (entry.dtype() != dtype || !entry.shape().equals(p.shape()) || begin != p.begin()
        || begin + entry.byteLength() != p.end()) {
      throw new CheckpointException(file, t.name(), "header says " + entry.dtype() + " " + entry.shape()
          + " at [" + begin + ", " + (begin + entry.byteLength()) + "), the manifest " + t.dtype() + " "
          + p.shape() + " at [" + p.begin() + ", " + p.end() + ")");
    }
    return entry.dataStart();
  }

  private SafetensorsHeader header(String file) throws IOException {
    SafetensorsHeader header = headers.get(file);
    if (header == null) {
      header = SafetensorsHeaderReader.read(shardFile(file));
      headers.put(file, header);
      Map<String, TensorEntry> byName = new HashMap<>();
      header.tensors().forEach(e -> byName.put(e.name(), e));
      entries.put(file, byName);
    }
    return header;
  }

  private SequentialReader reader(String file) throws IOException {
    SequentialReader reader = readers.get(file);
    if (reader == null) {
      reader = new SequentialReader(shardFile(file), BUFFER_BYTES);
      readers.put(file, reader);
    }
    return reader;
  }

  /** The manifest is data: its file names must stay inside the shard directory. */
  private Path shardFile(String name) throws CheckpointException {
    Path dir = shardDir.toAbsolutePath().normalize();
    Path file = dir.resolve(name).normalize();
    if (!dir.equals(file.getParent())) {
      throw new CheckpointException(dir.resolve(ShardManifest.FILE_NAME), "names file '" + name
          + "' outside the shard directory");
    }
    return file;
  }

  private void closeReaders() throws IOException {
    for (SequentialReader r : readers.values()) {
      r.close();
    }
  }
}
