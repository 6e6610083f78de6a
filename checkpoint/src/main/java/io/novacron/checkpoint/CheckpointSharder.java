package io.novacron.checkpoint;

import io.novacron.workflows.model.LayerRange;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Streams a checkpoint into one safetensors file per rank of a {@link ShardLayout}, and writes a
 * {@link ShardManifest} with a SHA-256 per tensor and per piece.
 *
 * <p>Two passes. The first decides every tensor's split ({@link ShardRules}) and so every rank
 * file's header, and so every piece's offset, before any data moves; the second reads each tensor
 * once, front to back, and writes each byte range to the ranks that hold it at its known offset.
 * Workers take whole tensors in turn. Memory is bounded by one 8 MiB mapped window of the source per
 * worker (page cache, not heap: {@link MappedReader}) plus small piece buffers (16 MiB in all for up
 * to 512 ranks per worker) and a 1 MiB read-back buffer per worker, whatever the tensor sizes: no
 * tensor is ever held whole.
 *
 * <p>Every byte is copied once, from the source's page cache straight into a rank file's, as
 * {@code transferTo} would, and hashed from the same mapped view. Each rank file is also hashed
 * whole as it fills ({@link RankFileDigests}, read back from the page cache), so the manifest
 * carries every file's SHA-256 and nothing reads the files again to learn it. Rank files are
 * forced to disk in the background while they are written ({@link EarlyForce}: every 64 MiB of a
 * file, and once more after its last piece), so the fsync overlaps the hashing instead of all
 * coming at the end.
 *
 * <p>The manifest is written last (and atomically): a directory without one holds an interrupted
 * run and nothing in it should be trusted.
 */
public final class CheckpointSharder {
  /**
   * The mapped window of the source per worker: large enough that a contiguous piece moves in few
   * large writes and remapping is rare, small enough that address space per worker stays modest.
   */
  static final int MAP_WINDOW_BYTES = 8 << 20;

  /**
   * Bytes written to one rank file after which a background force of it starts: large enough that
   * the extra fsyncs (journal commits) are few, small enough that little is left for the end.
   */
  static final long FORCE_EVERY_BYTES = 64L << 20;

  /**
   * All piece buffers together. They only gather the short runs of row-parallel slices, so 256 KiB
   * each is plenty; with many ranks they shrink to 32 KiB.
   */
  static final int PIECE_BUFFERS_BUDGET_BYTES = 16 << 20;

  /**
   * Hashing (SHA-256 of every piece) is most of the CPU cost, and it parallelizes by tensor: one
   * worker consumes about 0.5-1 GB/s (docs/bench/projection-405b.md), so a GPU node's NVMe
   * (10 GB/s and more) keeps a dozen busy; past 16 the disk is the limit.
   */
  public static final int DEFAULT_THREADS = Math.min(16, Runtime.getRuntime().availableProcessors());

  private CheckpointSharder() {}

  /** Where one slice of one tensor goes. */
  private record Target(int rank, int entryIndex) {}

  /** One tensor's split and the rank-file entries of its pieces, per slice. */
  private record Planned(TensorEntry tensor, TensorSplit split, List<List<Target>> targetsBySlice,
      List<List<Long>> shapeBySlice) {}

  /** The file name of rank {@code stage * tp + tpRank}. */
  public static String fileName(int stage, int tpRank) {
    return String.format("model-pp%02d-tp%02d.safetensors", stage, tpRank);
  }

  public static ShardManifest shard(CheckpointInspection checkpoint, ShardLayout layout, Path outDir)
      throws IOException {
    return shard(checkpoint, layout, outDir, ShardProgress.NONE);
  }

  /**
   * Shards {@code checkpoint} into {@code outDir} (created if absent; existing shard files are
   * overwritten).
   *
   * @throws IllegalArgumentException where the layout does not suit the model (layer count, heads)
   * @throws CheckpointException where a tensor cannot be split as its role requires
   */
  public static ShardManifest shard(CheckpointInspection checkpoint, ShardLayout layout, Path outDir,
      ShardProgress progress) throws IOException {
    return shard(checkpoint, layout, outDir, progress, DEFAULT_THREADS);
  }

  /**
   * As {@link #shard(CheckpointInspection, ShardLayout, Path, ShardProgress)}, with {@code threads}
   * workers. Each takes whole tensors in turn and writes their pieces at their known offsets, so the
   * files are the same whatever the thread count; {@code progress} is called from the workers, one
   * call at a time.
   */
  public static ShardManifest shard(CheckpointInspection checkpoint, ShardLayout layout, Path outDir,
      ShardProgress progress, int threads) throws IOException {
    ModelConfig config = checkpoint.config();
    checkLayout(config, layout);
    Files.createDirectories(outDir);
    // A manifest left from an earlier run would vouch for the files about to be overwritten.
    Files.deleteIfExists(outDir.resolve(ShardManifest.FILE_NAME));

    List<List<SafetensorsHeaderWriter.Entry>> entries = new ArrayList<>();
    for (int r = 0; r < layout.ranks(); r++) {
      entries.add(new ArrayList<>());
    }
    List<Planned> plan = new ArrayList<>();
    int routedExperts = routedExperts(checkpoint, layout);
    for (TensorEntry t : checkpoint.tensors()) {
      plan.add(place(t, ShardRules.splitOf(t, config, layout, routedExperts), layout, entries));
    }

    List<long[]> offsets = new ArrayList<>();
    for (List<SafetensorsHeaderWriter.Entry> rankEntries : entries) {
      long[] begin = new long[rankEntries.size() + 1];
      for (int i = 0; i < rankEntries.size(); i++) {
        begin[i + 1] = begin[i] + rankEntries.get(i).byteLength();
      }
      offsets.add(begin);
    }

    int workers = Math.max(1, Math.min(threads, plan.size()));
    int pieceBuffer = Math.max(32 << 10,
        Math.min(256 << 10, PIECE_BUFFERS_BUDGET_BYTES / (workers * layout.ranks())));
    List<FileChannel> channels = new ArrayList<>();
    long[] dataStart = new long[layout.ranks()];
    ShardManifest.ShardedTensor[] tensors = new ShardManifest.ShardedTensor[plan.size()];
    String[] fileDigests = new String[layout.ranks()];
    boolean complete = false;
    try {
      for (int r = 0; r < layout.ranks(); r++) {
        int stage = r / layout.tp();
        int tpRank = r % layout.tp();
        byte[] header = SafetensorsHeaderWriter.header(entries.get(r),
            metadata(checkpoint, layout, stage, tpRank));
        // Readable too: each file is hashed back from the page cache as it fills (RankFileDigests).
        FileChannel channel = FileChannel.open(outDir.resolve(fileName(stage, tpRank)),
            StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING);
        channels.add(channel);
        ByteBuffer head = ByteBuffer.allocate(8 + header.length).order(ByteOrder.LITTLE_ENDIAN)
            .putLong(header.length).put(header).flip();
        for (long at = 0; head.hasRemaining(); ) {
          at += channel.write(head, at);
        }
        dataStart[r] = 8L + header.length;
      }
      int[] pieces = new int[layout.ranks()];
      long[] sizes = new long[layout.ranks()];
      for (int r = 0; r < layout.ranks(); r++) {
        pieces[r] = entries.get(r).size();
        sizes[r] = dataStart[r] + offsets.get(r)[pieces[r]];
      }
      RankFileDigests digests = new RankFileDigests(channels, sizes);
      ByteBuffer scratch = ByteBuffer.allocateDirect(RankFileDigests.READ_BYTES);
      for (int r = 0; r < layout.ranks(); r++) {
        digests.written(r, 0, dataStart[r], scratch);
      }
      try (EarlyForce force = new EarlyForce(channels, pieces, FORCE_EVERY_BYTES)) {
        runWorkers(workers, plan, pieceBuffer, checkpoint, layout, channels, dataStart, offsets, tensors,
            progress, force, digests);
        force.awaitAll();
      }
      for (int r = 0; r < layout.ranks(); r++) {
        fileDigests[r] = digests.digest(r);
      }
      complete = true;
    } finally {
      closeAll(channels, complete);
    }

    List<ShardManifest.ShardFile> files = new ArrayList<>();
    for (int r = 0; r < layout.ranks(); r++) {
      files.add(new ShardManifest.ShardFile(r, r / layout.tp(), r % layout.tp(),
          fileName(r / layout.tp(), r % layout.tp()),
          dataStart[r] + offsets.get(r)[entries.get(r).size()], entries.get(r).size(), fileDigests[r]));
    }
    List<ShardManifest.Stage> stages = new ArrayList<>();
    for (int s = 0; s < layout.pp(); s++) {
      LayerRange range = layout.stages().get(s);
      stages.add(new ShardManifest.Stage(s, range.start(), range.end()));
    }
    Files.copy(checkpoint.directory().resolve(CheckpointInspector.CONFIG), outDir.resolve(CheckpointInspector.CONFIG), StandardCopyOption.REPLACE_EXISTING);
    ShardManifest manifest = new ShardManifest(ShardManifest.FORMAT, config.name(),
        layout.tp(), layout.pp(), stages, files, List.of(tensors));
    ShardManifests.write(manifest, outDir);
    return manifest;
  }

  /**
   * The routed experts of a mixture-of-experts checkpoint (0 for a dense one), after checking that
   * EP = TP divides them: each rank holds {@code experts / tp} whole experts.
   */
  private static int routedExperts(CheckpointInspection checkpoint, ShardLayout layout) throws IOException {
    Path config = checkpoint.directory().resolve(CheckpointInspector.CONFIG);
    if (!MoeConfigReader.isMoe(config)) {
      return 0;
    }
    int experts = MoeConfigReader.routedExperts(config);
    if (experts % layout.tp() != 0) {
      throw new IllegalArgumentException("TP " + layout.tp() + " (= EP) does not divide the " + experts
          + " routed experts (n_routed_experts/num_experts): each rank must hold whole experts");
    }
    return experts;
  }

  private static void checkLayout(ModelConfig config, ShardLayout layout) {
    int tp = layout.tp();
    if (layout.layers() != config.layers()) {
      throw new IllegalArgumentException("the layout covers " + layout.layers() + " layers, the model has "
          + config.layers());
    }
    if (config.heads() % tp != 0) {
      throw new IllegalArgumentException("TP " + tp + " does not divide " + config.heads() + " attention heads");
    }
    if (config.kvHeads() % tp != 0 && tp % config.kvHeads() != 0) {
      // Otherwise a rank would get part of a KV head.
      throw new IllegalArgumentException("TP " + tp + " is neither a divisor nor a multiple of "
          + config.kvHeads() + " KV heads");
    }
  }

  private static Planned place(TensorEntry t, TensorSplit split, ShardLayout layout,
      List<List<SafetensorsHeaderWriter.Entry>> entries) {
    List<List<Target>> targets = new ArrayList<>();
    List<List<Long>> shapes = new ArrayList<>();
    for (long[] slice : split.slices()) {
      targets.add(new ArrayList<>());
      List<Long> shape = new ArrayList<>(t.shape());
      if (split.kind() != SplitKind.REPLICATE && split.kind() != SplitKind.EXPERT) {
        shape.set(split.dim(), slice[1] - slice[0]);
      }
      shapes.add(List.copyOf(shape));
    }
    for (int stage : split.stages()) {
      for (int tpRank = 0; tpRank < layout.tp(); tpRank++) {
        int rank = stage * layout.tp() + tpRank;
        int slice = split.sliceOfTpRank()[tpRank];
        if (slice == TensorSplit.NOT_HELD) {
          continue;
        }
        List<Long> shape = shapes.get(slice);
        List<SafetensorsHeaderWriter.Entry> rankEntries = entries.get(rank);
        targets.get(slice).add(new Target(rank, rankEntries.size()));
        rankEntries.add(new SafetensorsHeaderWriter.Entry(t.name(), t.dtype(), shape,
            TensorEntry.elementCount(shape) * t.dtype().bytes()));
      }
    }
    return new Planned(t, split, targets, shapes);
  }

  /**
   * Copies one tensor. Viewed as {@code [outer, D, inner]} around the split dimension of size D,
   * each outer index holds the slices one after another, so reading runs straight through the
   * tensor while each slice's bytes are appended to its ranks' files.
   */
  private static ShardManifest.ShardedTensor stream(Planned p, MappedReader reader,
      List<FileChannel> channels, long[] dataStart, ShardLayout layout, List<long[]> offsets,
      Path checkpointDir, List<ByteBuffer> buffers, int bufferBytes) throws IOException {
    TensorEntry t = p.tensor();
    TensorSplit split = p.split();
    List<Long> shape = t.shape();
    long outer = 1;
    for (int d = 0; d < split.dim() && d < shape.size(); d++) {
      outer *= shape.get(d);
    }
    long dimSize = shape.isEmpty() ? 1 : shape.get(split.dim());
    long inner = outer * dimSize == 0 ? 0 : t.byteLength() / (outer * dimSize);

    List<List<PieceWriter>> writers = new ArrayList<>();
    int used = 0;
    for (List<Target> targets : p.targetsBySlice()) {
      List<PieceWriter> sliceWriters = new ArrayList<>();
      for (Target target : targets) {
        if (used == buffers.size()) {
          buffers.add(ByteBuffer.allocateDirect(bufferBytes));
        }
        long at = dataStart[target.rank()] + offsets.get(target.rank())[target.entryIndex()];
        sliceWriters.add(new PieceWriter(channels.get(target.rank()), at, buffers.get(used++)));
      }
      writers.add(sliceWriters);
    }

    // Every byte is hashed once: as the piece it lands in. A tensor stored whole (one slice) has the
    // piece's digest as its own; a split tensor's own digest would hash every byte a second time,
    // which on a few cores costs as much as all the copying (see ShardManifest.ShardedTensor).
    boolean whole = split.slices().size() == 1;
    List<MessageDigest> sliceDigests = new ArrayList<>();
    for (int i = 0; i < split.slices().size(); i++) {
      sliceDigests.add(sha256());
    }
    reader.seek(t.dataStart());
    for (long o = 0; o < outer && inner > 0; o++) {
      for (int i = 0; i < split.slices().size(); i++) {
        long[] slice = split.slices().get(i);
        long remaining = (slice[1] - slice[0]) * inner;
        while (remaining > 0) {
          ByteBuffer chunk = reader.next(remaining);
          remaining -= chunk.remaining();
          sliceDigests.get(i).update(chunk.duplicate());
          for (PieceWriter writer : writers.get(i)) {
            writer.write(chunk.duplicate());
          }
        }
      }
    }
    for (List<PieceWriter> sliceWriters : writers) {
      for (PieceWriter writer : sliceWriters) {
        writer.flush();
      }
    }

    List<ShardManifest.Piece> pieces = new ArrayList<>();
    String sourceDigest = null;
    for (int i = 0; i < split.slices().size(); i++) {
      long[] slice = split.slices().get(i);
      String digest = HexFormat.of().formatHex(sliceDigests.get(i).digest());
      if (whole) {
        sourceDigest = digest;
      }
      for (Target target : p.targetsBySlice().get(i)) {
        long[] begin = offsets.get(target.rank());
        pieces.add(new ShardManifest.Piece(target.rank(),
            fileName(target.rank() / layout.tp(), target.rank() % layout.tp()), p.shapeBySlice().get(i),
            begin[target.entryIndex()], begin[target.entryIndex() + 1], slice[0], slice[1], digest));
      }
    }
    pieces.sort(Comparator.comparingInt(ShardManifest.Piece::rank));
    return new ShardManifest.ShardedTensor(t.name(), t.dtype().name(), shape,
        checkpointDir.relativize(t.file()).toString(), sourceDigest,
        split.kind(), split.dim(), pieces);
  }

  private static Map<String, String> metadata(CheckpointInspection checkpoint, ShardLayout layout,
      int stage, int tpRank) {
    Map<String, String> metadata = new LinkedHashMap<>();
    metadata.put("format", "pt");
    metadata.put("novacron.source", checkpoint.config().name());
    metadata.put("novacron.tp_rank", Integer.toString(tpRank));
    metadata.put("novacron.tp_size", Integer.toString(layout.tp()));
    metadata.put("novacron.pp_rank", Integer.toString(stage));
    metadata.put("novacron.pp_size", Integer.toString(layout.pp()));
    metadata.put("novacron.layers", layout.stages().get(stage).toString());
    return metadata;
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  private static void closeAll(List<FileChannel> channels, boolean complete) throws IOException {
    IOException first = null;
    for (FileChannel channel : channels) {
      try {
        channel.close();
      } catch (IOException e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    // After a failure the first exception is the one to report; a close failure would hide it.
    if (first != null && complete) {
      throw first;
    }
  }

  private static CheckpointException changed(Planned p, String detail) {
    return new CheckpointException(p.tensor().file(), p.tensor().name(),
        "the file changed (shrank or was rewritten) while it was being sharded (" + detail
            + "); shard again once nothing writes the checkpoint");
  }

  /**
   * Runs {@code workers} threads over the tensors. Each keeps its own reader (tensors come file by
   * file, so it reopens only when the file changes) and its own piece buffers.
   */
  private static void runWorkers(int workers, List<Planned> plan, int pieceBuffer,
      CheckpointInspection checkpoint, ShardLayout layout, List<FileChannel> channels, long[] dataStart,
      List<long[]> offsets, ShardManifest.ShardedTensor[] results, ShardProgress progress,
      EarlyForce force, RankFileDigests digests) throws IOException {
    AtomicInteger next = new AtomicInteger();
    AtomicBoolean failed = new AtomicBoolean();
    long[] done = {0};
    Callable<Void> work = () -> {
      List<ByteBuffer> buffers = new ArrayList<>();
      ByteBuffer scratch = ByteBuffer.allocateDirect(RankFileDigests.READ_BYTES);
      // Mapped rather than read: a read into a buffer is one more copy of every byte, and on a few
      // cores copying costs as much as hashing (docs/bench/shard.md).
      MappedReader reader = null;
      try {
        for (int i = next.getAndIncrement(); i < plan.size() && !failed.get(); i = next.getAndIncrement()) {
          Planned p = plan.get(i);
          if (reader == null || !reader.file().equals(p.tensor().file())) {
            if (reader != null) {
              reader.close();
            }
            reader = new MappedReader(p.tensor().file(), MAP_WINDOW_BYTES);
          }
          try {
            results[i] = stream(p, reader, channels, dataStart, layout, offsets, checkpoint.directory(),
                buffers, pieceBuffer);
            // The tensor's digests vouch for the bytes read only if the file stayed the one opened.
            if (reader.changedSinceOpen()) {
              throw changed(p, "its size or modification time differs from when it was opened");
            }
            for (List<Target> targets : p.targetsBySlice()) {
              for (Target target : targets) {
                long[] begin = offsets.get(target.rank());
                long bytes = begin[target.entryIndex() + 1] - begin[target.entryIndex()];
                force.pieceWritten(target.rank(), bytes);
                digests.written(target.rank(), dataStart[target.rank()] + begin[target.entryIndex()], bytes,
                    scratch);
              }
            }
            synchronized (done) {
              done[0] += p.tensor().byteLength();
              progress.tensorDone(done[0], checkpoint.totalBytes(), p.tensor().name());
            }
          } catch (EOFException e) {
            // The file ended before the tensor did, though the inspection saw it whole.
            throw changed(p, e.getMessage());
          } catch (InternalError e) {
            // A mapped page past the end of a file that shrank after it was mapped faults (SIGBUS);
            // the JVM reports it as an InternalError, raised at a later safepoint of this thread
            // (seen as late as the tensor's final digest). MappedReader keeps this rare (windows
            // sized to the file as it is); it is still the same cause.
            throw changed(p, e.getMessage());
          }
        }
      } catch (IOException | RuntimeException e) {
        failed.set(true);
        throw e;
      } finally {
        if (reader != null) {
          reader.close();
        }
      }
      return null;
    };
    try {
      ParallelCalls.run(Collections.nCopies(workers, work), workers, "shard-worker");
    } catch (IOException | RuntimeException e) {
      failed.set(true);
      throw e;
    }
  }

}
