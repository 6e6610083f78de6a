package io.novacron.bench.projection;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Projects a model deployment's wall-clock time from measured per-core rates and a target
 * cluster's hardware: the arithmetic behind docs/bench/projection-405b.md. Pure, for tests.
 *
 * <p>The deployment as NovaCron runs it: the source node reads the checkpoint and writes every
 * rank's shard file (hashing each source byte once as its piece, and each rank file whole: in a
 * pass of its own before issue 17, as it writes since); every other node receives its ranks' files
 * over the link, {@code sendFiles} files at once (the sender hashes each file as it reads it; the
 * receiver hashes each file before the commit, the one verification the shard set's digest needs:
 * once all its bytes are in before issue 17, the acknowledged prefix while the rest arrives since);
 * each node then
 * checks its files ({@code hashPassesAtNode} more SHA-256 passes: 2 before issue 17, whole file
 * and every piece; 0 since, a layout check reads headers only) and the serving engine loads them.
 * Stages run one after another; within a stage the slowest resource (disk, CPU or link) sets the
 * time. {@link #overlapped} projects the same stages with files streamed through them.
 */
public final class DeployProjection {
  private DeployProjection() {}

  /**
   * Rates measured on this machine, per CPU core (bytes per CPU-second).
   *
   * @param sha256 SHA-256 of one thread
   * @param shard source bytes the sharder consumes (hashing included)
   * @param engine raw bytes the transfer engine moves, sender and receiver together (codec none,
   *     verification on)
   */
  public record CoreRates(double sha256, double shard, double engine) {}

  /**
   * The target cluster and how the deployment uses it.
   *
   * @param nodes GPU nodes; the checkpoint starts on one of them
   * @param cores cores per node NovaCron may use
   * @param diskRead sustained read of a node's local storage, bytes/s
   * @param diskWrite sustained write, bytes/s
   * @param link each node's network link, bytes/s
   * @param shardWorkers the sharder's worker threads
   * @param hashFiles files a node hashes (shard set, verification) at once
   * @param sendFiles files the source sends at once
   * @param streamsPerFile engine streams per file
   * @param hashPassesAtNode full SHA-256 passes a node makes over its files after receiving them
   * @param hashWhileSharding the sharder hashes each rank file as it writes it, no separate pass
   *     over the shard set ({@code RankFileDigests}; its CPU is inside the measured sharder rate)
   * @param hashAheadOnReceipt the receiver hashes each file's acknowledged prefix while the rest
   *     arrives, leaving at most {@link #UNHASHED_TAIL_BYTES} for the commit ({@code PrefixHash});
   *     otherwise it hashes the whole file after its last block
   */
  public record Cluster(int nodes, int cores, double diskRead, double diskWrite, double link, int shardWorkers,
      int hashFiles, int sendFiles, int streamsPerFile, int hashPassesAtNode, boolean hashWhileSharding,
      boolean hashAheadOnReceipt) {
    /** A cluster as before issue 17: a hashing pass over the shard set, the receiver's hash after the bytes. */
    public Cluster(int nodes, int cores, double diskRead, double diskWrite, double link, int shardWorkers,
        int hashFiles, int sendFiles, int streamsPerFile, int hashPassesAtNode) {
      this(nodes, cores, diskRead, diskWrite, link, shardWorkers, hashFiles, sendFiles, streamsPerFile,
          hashPassesAtNode, false, false);
    }

    public Cluster with(int shardWorkers, int hashFiles, int sendFiles, int streamsPerFile, int hashPassesAtNode) {
      return new Cluster(nodes, cores, diskRead, diskWrite, link, shardWorkers, hashFiles, sendFiles,
          streamsPerFile, hashPassesAtNode, hashWhileSharding, hashAheadOnReceipt);
    }

    public Cluster hashingWhileSharding() {
      return new Cluster(nodes, cores, diskRead, diskWrite, link, shardWorkers, hashFiles, sendFiles,
          streamsPerFile, hashPassesAtNode, true, hashAheadOnReceipt);
    }

    public Cluster hashingAheadOnReceipt() {
      return new Cluster(nodes, cores, diskRead, diskWrite, link, shardWorkers, hashFiles, sendFiles,
          streamsPerFile, hashPassesAtNode, hashWhileSharding, true);
    }
  }

  /**
   * What a receiver hashing ahead has left to hash at the commit, per file: the blocks past its last
   * group commit, at most the durable-acknowledgement window of the transfer engine
   * ({@code DurableAcks.MAX_UNSYNCED_BYTES}, 32 MiB).
   */
  public static final double UNHASHED_TAIL_BYTES = 32 << 20;

  /**
   * One stage.
   *
   * @param name what it does
   * @param seconds its projected time
   * @param boundBy the resource that sets the time
   * @param arithmetic how the time came out, for the report
   */
  public record Stage(String name, double seconds, String boundBy, String arithmetic) {}

  /** A limit inside a stage: a resource and the time it alone would need. */
  private record Limit(String resource, double seconds, String arithmetic) {}

  /**
   * @param modelBytes checkpoint bytes (tensor data)
   * @return the stages in order
   */
  public static List<Stage> project(double modelBytes, CoreRates rates, Cluster c) {
    double perNode = modelBytes / c.nodes();
    double remote = modelBytes - perNode;
    int cpuWorkers = Math.min(c.cores(), c.sendFiles() * Math.max(1, c.streamsPerFile()));
    int hashers = Math.min(c.cores(), c.hashFiles());
    int workers = Math.min(c.cores(), c.shardWorkers());
    List<Stage> stages = new ArrayList<>();

    stages.add(stage("shard on the source node",
        new Limit("disk", modelBytes / c.diskRead() + modelBytes / c.diskWrite(),
            gb(modelBytes) + " read at " + gbs(c.diskRead()) + " + written at " + gbs(c.diskWrite())),
        new Limit("CPU", modelBytes / (rates.shard() * workers),
            gb(modelBytes) + " / (" + gbs(rates.shard()) + " per core x " + workers + " workers)")));

    if (c.hashWhileSharding()) {
      // The rank files' bytes are hashed as they are written, by the shard stage's workers: that CPU
      // is in the sharder's measured rate.
      stages.add(stage("hash the shard set on the source node (while sharding)",
          new Limit("CPU of the sharder's workers", 0,
              "each rank file hashed as it is written, read back from the page cache: no pass of its own")));
    } else {
      stages.add(stage("hash the shard set on the source node",
          new Limit("CPU", modelBytes / (rates.sha256() * hashers),
              gb(modelBytes) + " / (" + gbs(rates.sha256()) + " per core x " + hashers + " files at once)"),
          new Limit("disk", modelBytes / c.diskRead(), gb(modelBytes) + " read at " + gbs(c.diskRead()))));
    }

    if (c.nodes() > 1) {
      int fanIn = c.nodes() - 1;
      stages.add(stage("send " + fanIn + " node(s) their shards",
          new Limit("source link", remote / c.link(), gb(remote) + " out of one link at " + gbs(c.link())),
          new Limit("engine CPU", remote / (rates.engine() * cpuWorkers),
              gb(remote) + " / (" + gbs(rates.engine()) + " per core x " + cpuWorkers + " streams)"),
          new Limit("receiver disk", perNode / c.diskWrite(), gb(perNode) + " written at " + gbs(c.diskWrite()))));
      int committing = Math.min(c.cores(), c.sendFiles());
      if (c.hashAheadOnReceipt()) {
        // The acknowledged prefix is hashed while the rest arrives (from the page cache the writes
        // just filled; that CPU is in the engine's measured rate): the commit hashes the last window.
        double tail = committing * UNHASHED_TAIL_BYTES;
        stages.add(stage("commit on receipt (the engine's SHA-256, hashed ahead while the file arrives)",
            new Limit("CPU", tail / (rates.sha256() * committing), committing + " files x "
                + String.format(java.util.Locale.ROOT, "%.0f MiB", UNHASHED_TAIL_BYTES / (1 << 20))
                + " left after the last group commit / (" + gbs(rates.sha256()) + " per core x " + committing
                + " files at once)")));
      } else {
        // The receiver hashes a file only once all its blocks are in (they arrive out of order over
        // the streams), so this is a tail after the bytes, per file, files in flight side by side.
        stages.add(stage("commit on receipt (the engine's SHA-256 of each file, " + committing + " at once)",
            new Limit("CPU", perNode / (rates.sha256() * committing),
                gb(perNode) + " / (" + gbs(rates.sha256()) + " per core x " + committing + " files at once)"),
            new Limit("disk", perNode / c.diskRead(), gb(perNode) + " read at " + gbs(c.diskRead()))));
      }
    }

    if (c.hashPassesAtNode() == 0) {
      stages.add(stage("check on each node (sizes and tensor headers, no hash pass)",
          new Limit("headers", 0, "each file's size and safetensors header, no tensor data read")));
    } else {
      stages.add(stage("verify on each node (" + c.hashPassesAtNode() + " hash passes)",
          new Limit("CPU", c.hashPassesAtNode() * perNode / (rates.sha256() * hashers),
              c.hashPassesAtNode() + " x " + gb(perNode) + " / (" + gbs(rates.sha256()) + " per core x " + hashers
                  + " files at once)"),
          new Limit("disk", c.hashPassesAtNode() * perNode / c.diskRead(),
              c.hashPassesAtNode() + " x " + gb(perNode) + " read at " + gbs(c.diskRead()))));
    }

    stages.add(stage("load into GPU memory",
        new Limit("disk", perNode / c.diskRead(), gb(perNode) + " per node read at " + gbs(c.diskRead()))));
    return stages;
  }

  /** Sum of the stages' times. */
  public static double total(List<Stage> stages) {
    return stages.stream().mapToDouble(Stage::seconds).sum();
  }

  /**
   * The same stages with the files streamed through them, as a pipeline: each file goes on to the
   * next stage as soon as it is done with one (the sharder's rank file to the send, a received
   * file to its commit). The slowest stage runs whole; every other one adds only its share of one
   * file, to fill and drain the pipe. {@code lastStages} at the end stay after the pipe (vLLM
   * loads only once every file is there). Assumes stages use different resources, or their shares
   * of one add up within the slowest: an estimate of what overlapping buys, not a schedule.
   *
   * @param files files each stage handles (a node's rank files)
   * @param lastStages stages at the end that run after the pipe, one after another
   */
  public static double overlapped(List<Stage> stages, int files, int lastStages) {
    if (files < 1 || lastStages < 0 || lastStages > stages.size()) {
      throw new IllegalArgumentException("files: " + files + ", lastStages: " + lastStages + " of " + stages.size());
    }
    List<Stage> piped = stages.subList(0, stages.size() - lastStages);
    double slowest = piped.stream().mapToDouble(Stage::seconds).max().orElse(0);
    double shares = (piped.stream().mapToDouble(Stage::seconds).sum() - slowest) / files;
    return slowest + shares + total(stages.subList(stages.size() - lastStages, stages.size()));
  }

  /** The stage that takes longest. */
  public static Stage longest(List<Stage> stages) {
    return stages.stream().max(Comparator.comparingDouble(Stage::seconds)).orElseThrow();
  }

  private static Stage stage(String name, Limit... limits) {
    Limit slowest = limits[0];
    StringBuilder how = new StringBuilder();
    for (Limit l : limits) {
      if (l.seconds() > slowest.seconds()) {
        slowest = l;
      }
      how.append(how.length() == 0 ? "" : "; ").append(l.resource()).append(": ").append(l.arithmetic())
          .append(String.format(java.util.Locale.ROOT, " = %.0f s", l.seconds()));
    }
    return new Stage(name, slowest.seconds(), slowest.resource(), how.toString());
  }

  static String gb(double bytes) {
    return String.format(java.util.Locale.ROOT, "%.1f GB", bytes / 1e9);
  }

  static String gbs(double bytesPerSecond) {
    return String.format(java.util.Locale.ROOT, "%.2f GB/s", bytesPerSecond / 1e9);
  }
}
