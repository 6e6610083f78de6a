package io.novacron.checkpoint;

import java.util.List;

/**
 * What the sharder wrote, so that a node can verify its files and the shards can be put back
 * together. Serialized as {@code shard-manifest.json} beside the shard files.
 *
 * @param format {@link #FORMAT}
 * @param source name of the checkpoint the shards come from
 * @param tp tensor-parallel degree
 * @param pp pipeline-parallel degree
 * @param stages each stage's layers {@code [start, end)}, in order
 * @param files one per rank
 * @param tensors every tensor of the checkpoint, in the checkpoint's order, with its pieces
 */
public record ShardManifest(String format, String source, int tp, int pp, List<Stage> stages,
    List<ShardFile> files, List<ShardedTensor> tensors) {

  /**
   * Version 2: a split tensor carries no digest of its own (its pieces do); version 1, which this
   * code still reads, gave every tensor one.
   */
  public static final String FORMAT = "novacron-shards/2";

  /** Formats {@link ShardManifests#read} accepts. */
  public static final java.util.Set<String> READABLE_FORMATS = java.util.Set.of("novacron-shards/1", FORMAT);
  public static final String FILE_NAME = "shard-manifest.json";

  public ShardManifest {
    stages = List.copyOf(stages);
    files = List.copyOf(files);
    tensors = List.copyOf(tensors);
  }

  /**
   * One pipeline stage.
   *
   * @param stage pipeline rank
   * @param firstLayer first decoder layer
   * @param endLayer one past its last decoder layer
   */
  public record Stage(int stage, int firstLayer, int endLayer) {}

  /**
   * One rank's shard file.
   *
   * @param rank {@code stage * tp + tpRank}
   * @param stage pipeline rank
   * @param tpRank tensor-parallel rank
   * @param file file name, relative to the manifest
   * @param bytes file size
   * @param tensors tensors in the file
   * @param sha256 SHA-256 (hex) of the whole file, computed as the sharder wrote it; {@code null} in
   *     manifests written before it was (a shard set then hashes its files in a pass of its own)
   */
  public record ShardFile(int rank, int stage, int tpRank, String file, long bytes, int tensors,
      String sha256) {}

  /**
   * One tensor of the checkpoint.
   *
   * @param name tensor name, unchanged in the shards
   * @param dtype safetensors dtype
   * @param shape original shape
   * @param sourceFile the checkpoint file it came from
   * @param sha256 SHA-256 of its original bytes where it is stored whole (one slice: the same as its
   *     pieces'); {@code null} for a split tensor, whose pieces' digests cover every byte once. A
   *     whole-tensor digest of a split tensor would hash every byte twice, as much CPU as all the
   *     rest of sharding; {@link ShardReassembler#verify} compares rebuilt tensors with the original
   *     byte for byte instead.
   * @param split how the TP ranks divide it
   * @param dim the dimension cut
   * @param pieces where its parts went, one per rank holding it
   */
  public record ShardedTensor(String name, String dtype, List<Long> shape, String sourceFile,
      String sha256, SplitKind split, int dim, List<Piece> pieces) {
    public ShardedTensor {
      shape = List.copyOf(shape);
      pieces = List.copyOf(pieces);
    }
  }

  /**
   * One rank's part of a tensor.
   *
   * @param rank the rank holding it
   * @param file the rank's shard file
   * @param shape the part's shape
   * @param begin start of its data, relative to the file's data section (as {@code data_offsets})
   * @param end end of its data, relative to the data section
   * @param sliceStart first index along the split dimension
   * @param sliceEnd one past the last index along the split dimension
   * @param sha256 SHA-256 of the part's bytes
   */
  public record Piece(int rank, String file, List<Long> shape, long begin, long end,
      long sliceStart, long sliceEnd, String sha256) {
    public Piece {
      shape = List.copyOf(shape);
    }
  }
}
