package io.novacron.bench.projection;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Projects a model deployment's wall-clock time from measured per-core rates and a target
 * cluster's hardware: the arithmetic behind docs/bench/projection-405b.md. Pure, for tests.
 *
 * <p>The deployment as NovaCron runs it: the source node reads the checkpoint and writes every
 * rank's shard file (hashing each source byte once, then each rank file once more for the shard
 * set); every other node receives its ranks' files over the link (the engine hashes them at both
 * ends); each node then verifies its files (SHA-256 of every file and of every piece) and the
 * serving engine loads them. Stages run one after another; within a stage the slowest resource
 * (disk, CPU or link) sets the time.
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
   */
  public record Cluster(int nodes, int cores, double diskRead, double diskWrite, double link, int shardWorkers,
      int hashFiles, int sendFiles, int streamsPerFile, int hashPassesAtNode) {
    public Cluster with(int shardWorkers, int hashFiles, int sendFiles, int streamsPerFile, int hashPassesAtNode) {
      return new Cluster(nodes, cores, diskRead, diskWrite, link, shardWorkers, hashFiles, sendFiles,
          streamsPerFile, hashPassesAtNode);
    }
  }

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
    List<Stage> stages = new ArrayList<>();

    stages.add(stage("shard on the source node",
        new Limit("disk", modelBytes / c.diskRead() + modelBytes / c.diskWrite(),
            gb(modelBytes) + " read at " + gbs(c.diskRead()) + " + written at " + gbs(c.diskWrite())),
        new Limit("CPU", modelBytes / (rates.shard() * Math.min(c.cores(), c.shardWorkers())),
            gb(modelBytes) + " / (" + gbs(rates.shard()) + " per core x " + Math.min(c.cores(), c.shardWorkers())
                + " workers)")));

    stages.add(stage("hash the shard set on the source node",
        new Limit("CPU", modelBytes / (rates.sha256() * hashers),
            gb(modelBytes) + " / (" + gbs(rates.sha256()) + " per core x " + hashers + " files at once)"),
        new Limit("disk", modelBytes / c.diskRead(), gb(modelBytes) + " read at " + gbs(c.diskRead()))));

    if (c.nodes() > 1) {
      int fanIn = c.nodes() - 1;
      stages.add(stage("send " + fanIn + " node(s) their shards",
          new Limit("source link", remote / c.link(), gb(remote) + " out of one link at " + gbs(c.link())),
          new Limit("engine CPU", remote / (rates.engine() * cpuWorkers),
              gb(remote) + " / (" + gbs(rates.engine()) + " per core x " + cpuWorkers + " streams)"),
          new Limit("receiver disk", perNode / c.diskWrite(), gb(perNode) + " written at " + gbs(c.diskWrite()))));
    }

    stages.add(stage("verify on each node (" + c.hashPassesAtNode() + " hash passes)",
        new Limit("CPU", c.hashPassesAtNode() * perNode / (rates.sha256() * hashers),
            c.hashPassesAtNode() + " x " + gb(perNode) + " / (" + gbs(rates.sha256()) + " per core x " + hashers
                + " files at once)"),
        new Limit("disk", c.hashPassesAtNode() * perNode / c.diskRead(),
            c.hashPassesAtNode() + " x " + gb(perNode) + " read at " + gbs(c.diskRead()))));

    stages.add(stage("load into GPU memory",
        new Limit("disk", perNode / c.diskRead(), gb(perNode) + " per node read at " + gbs(c.diskRead()))));
    return stages;
  }

  /** Sum of the stages' times. */
  public static double total(List<Stage> stages) {
    return stages.stream().mapToDouble(Stage::seconds).sum();
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
