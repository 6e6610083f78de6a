package io.novacron.bench.projection;

import io.novacron.bench.shard.SyntheticCheckpoint;
import io.novacron.bench.transfer.LoopbackEngineRate;
import io.novacron.bench.transfer.Measurement;
import io.novacron.checkpoint.CheckpointInspection;
import io.novacron.checkpoint.CheckpointInspector;
import io.novacron.checkpoint.CheckpointSharder;
import io.novacron.checkpoint.ShardLayout;
import io.novacron.checkpoint.ShardProgress;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Measures the per-core rates the 405B projection needs on this machine (SHA-256, the sharder, the
 * transfer engine), projects Llama 3.1 405B BF16 onto 2 x 8 H100 over 25 Gbit/s links with
 * {@link DeployProjection}, and writes docs/bench/projection-405b.md and .json.
 *
 * <p>Flags: {@code --out DIR} (default docs/bench), {@code --dir TMP} (scratch, default /dev/shm so
 * that the local disk stays out of the per-core figures), {@code --rounds N} (default 3, best kept),
 * {@code --cores N} (cores per GPU node NovaCron may use, default 32), {@code --disk-read GBPS}
 * (default 10), {@code --disk-write GBPS} (default 5), {@code --link-gbit N} (default 25),
 * {@code --rates SHA,SHARD,ENGINE} (GB/s per core measured before: project without measuring).
 */
public final class ProjectionBench {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  /** Llama 3.1 405B's shape (config.json of meta-llama/Llama-3.1-405B), BF16. */
  static final SyntheticCheckpoint LLAMA_405B = new SyntheticCheckpoint(126, 16384, 128, 8, 53248, 128256, 191);

  private ProjectionBench() {}

  public static void main(String[] args) throws Exception {
    Path out = Path.of("docs/bench");
    Path dir = Path.of(Files.isDirectory(Path.of("/dev/shm")) ? "/dev/shm" : System.getProperty("java.io.tmpdir"));
    int rounds = 3;
    int cores = 32;
    double diskRead = 10e9;
    double diskWrite = 5e9;
    double linkGbit = 25;
    String given = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--out" -> out = Path.of(args[++i]);
        case "--dir" -> dir = Path.of(args[++i]);
        case "--rounds" -> rounds = Integer.parseInt(args[++i]);
        case "--cores" -> cores = Integer.parseInt(args[++i]);
        case "--disk-read" -> diskRead = Double.parseDouble(args[++i]) * 1e9;
        case "--disk-write" -> diskWrite = Double.parseDouble(args[++i]) * 1e9;
        case "--link-gbit" -> linkGbit = Double.parseDouble(args[++i]);
        case "--rates" -> given = args[++i];
        default -> {
          System.err.println("usage: ProjectionBench [--out DIR] [--dir TMP] [--rounds N] [--cores N]"
              + " [--disk-read GBPS] [--disk-write GBPS] [--link-gbit N] [--rates SHA,SHARD,ENGINE]");
          System.exit(64);
        }
      }
    }
    Path work = Files.createTempDirectory(dir, "novacron-projection");
    try {
      double sha;
      double shard;
      double engineRate;
      Measurement engine;
      if (given != null) {
        // Re-projects from rates measured before (GB/s per core: sha256,shard,engine), measuring nothing.
        String[] r = given.split(",");
        sha = Double.parseDouble(r[0]) * 1e9;
        shard = Double.parseDouble(r[1]) * 1e9;
        engineRate = Double.parseDouble(r[2]) * 1e9;
        engine = new Measurement("loopback", "random", "engine none (given with --rates)", 0, 0, 0, 0, true, 0,
            "rates given with --rates " + given);
      } else {
        sha = best(rounds, () -> shaRate(256 << 20));
        shard = shardRate(work, rounds);
        engine = LoopbackEngineRate.measure(work, 512L << 20, rounds);
        engineRate = engine.rawBytes() / engine.cpuSeconds();
      }
      System.out.printf(Locale.ROOT, "SHA-256: %.2f GB/s per core%n", sha / 1e9);
      System.out.printf(Locale.ROOT, "sharder: %.2f GB/s per core%n", shard / 1e9);
      System.out.printf(Locale.ROOT, "engine: %.2f GB/s per core (%s)%n", engineRate / 1e9, engine.note());

      DeployProjection.CoreRates rates = new DeployProjection.CoreRates(sha, shard, engineRate);
      DeployProjection.Cluster before = new DeployProjection.Cluster(2, cores, diskRead, diskWrite,
          linkGbit * 1e9 / 8, Math.min(16, cores), Math.min(8, cores), 1, 2, 2);
      // Issue 17: 8 files in flight per node (FilesInFlight.DEFAULT_LIMIT in workflows), no hash
      // pass after the engine's verified receipt (checkShards reads headers only), each rank file
      // hashed as the sharder writes it (RankFileDigests), and the receiver hashing each file's
      // acknowledged prefix while the rest arrives (PrefixHash).
      DeployProjection.Cluster now = before.with(Math.min(16, cores), Math.min(8, cores), 8, 2, 0)
          .hashingWhileSharding().hashingAheadOnReceipt();
      double bytes = LLAMA_405B.dataBytes();
      String source = given == null ? "Rates measured by this run." : "Rates given with `--rates " + given
          + "` (GB/s per core), from an earlier run's measurement; nothing was measured by this run.";
      new ProjectionReport(bytes, rates, engine, source, List.of(
          scenario("before issue 17: one file sent at a time on 2 streams, file + piece re-hash at each node after"
              + " the engine's verified receipt", before, bytes, rates),
          scenario("the code now (issue 17): 8 files in flight per node on 2 streams each, each rank file hashed as"
              + " the sharder writes it, the receiver hashing ahead while a file arrives, no re-hash after the"
              + " engine's verified receipt (a layout check reads headers only)", now, bytes, rates)))
          .write(out, Instant.now());
      System.out.println("wrote " + out.resolve("projection-405b.md"));
    } finally {
      try (Stream<Path> files = Files.walk(work)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  private static ProjectionReport.Scenario scenario(String name, DeployProjection.Cluster cluster, double bytes,
      DeployProjection.CoreRates rates) {
    return new ProjectionReport.Scenario(name, cluster, DeployProjection.project(bytes, rates, cluster));
  }

  @FunctionalInterface
  private interface Rate {
    double measure() throws Exception;
  }

  private static double best(int rounds, Rate rate) throws Exception {
    double best = 0;
    for (int i = 0; i < rounds; i++) {
      best = Math.max(best, rate.measure());
    }
    return best;
  }

  /** Bytes per CPU-second of this thread hashing an in-memory buffer. */
  static double shaRate(int bytes) throws Exception {
    byte[] data = new byte[4 << 20];
    new java.util.Random(1).nextBytes(data);
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    long cpu0 = THREADS.getCurrentThreadCpuTime();
    for (int done = 0; done < bytes; done += data.length) {
      sha.update(data);
    }
    sha.digest();
    return bytes / ((THREADS.getCurrentThreadCpuTime() - cpu0) / 1e9);
  }

  /**
   * Source bytes per CPU-second of one sharder worker (it runs in the calling thread), TP 8 x PP 2
   * as the 405B plan uses, on a checkpoint of ~0.4 GB.
   */
  static double shardRate(Path work, int rounds) throws Exception {
    SyntheticCheckpoint small = new SyntheticCheckpoint(8, 2048, 16, 8, 5632, 32000, 2);
    CheckpointInspection checkpoint = CheckpointInspector.inspect(small.write(work.resolve("checkpoint")));
    double best = 0;
    for (int i = 0; i < rounds; i++) {
      Path shards = work.resolve("shards-" + i);
      long cpu0 = THREADS.getCurrentThreadCpuTime();
      CheckpointSharder.shard(checkpoint, ShardLayout.of(8, 2, 8), shards, ShardProgress.NONE, 1);
      best = Math.max(best, checkpoint.totalBytes() / ((THREADS.getCurrentThreadCpuTime() - cpu0) / 1e9));
      deleteTree(shards);
    }
    return best;
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
