package io.novacron.bench.shard;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.novacron.checkpoint.CheckpointInspection;
import io.novacron.checkpoint.CheckpointInspector;
import io.novacron.checkpoint.CheckpointSharder;
import io.novacron.checkpoint.ShardLayout;
import io.novacron.checkpoint.ShardManifest;
import io.novacron.checkpoint.ShardReassembler;
import io.novacron.gpu.deploy.ParallelDigests;
import io.novacron.workflows.model.KnownModels;
import io.novacron.workflows.model.ParallelismPlanner;
import io.novacron.workflows.model.PlanRequest;
import io.novacron.workflows.model.GpuNode;
import io.novacron.workflows.model.WeightDtype;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Sharding throughput against plain file copies of the same checkpoint, with peak heap. Generates a
 * Llama-shaped BF16 checkpoint (~1.4 GiB by default) in a temporary directory, shards it into
 * several TP x PP layouts, verifies one by reassembly, and writes {@code shard.md} and {@code
 * shard.json}.
 *
 * <p>Flags: {@code --out DIR} (default {@code docs/bench}), {@code --dir TMP} (default the system
 * temp directory), {@code --layers N} (default 14), {@code --repeat N} (default 3), {@code --keep}.
 * All runs read a warm page cache: the generator has just written the files, and the machine has the
 * memory to keep them, so the figures compare CPU and write paths, not the disk's read speed.
 */
public final class ShardBench {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int[][] LAYOUTS = {{1, 1}, {2, 1}, {4, 2}, {8, 1}};

  private ShardBench() {}

  private record Run(String name, int tp, int pp, List<Double> seconds, long bytesIn, long bytesOut,
      List<Long> peakHeap) {
    double medianSeconds() {
      return median(seconds);
    }

    double inMbPerSecond() {
      return bytesIn / 1e6 / medianSeconds();
    }

    double bestSeconds() {
      return seconds.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    double bestInMbPerSecond() {
      return bytesIn / 1e6 / bestSeconds();
    }

    double outMbPerSecond() {
      return bytesOut / 1e6 / medianSeconds();
    }

    long maxPeakHeap() {
      return peakHeap.stream().mapToLong(Long::longValue).max().orElse(0);
    }
  }

  public static void main(String[] args) throws IOException {
    Path out = Path.of("docs/bench");
    List<Path> bases = new ArrayList<>();
    int layers = 14;
    int repeat = 3;
    boolean keep = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--out" -> out = Path.of(args[++i]);
        case "--dir" -> bases.add(Path.of(args[++i]));
        case "--layers" -> layers = Integer.parseInt(args[++i]);
        case "--repeat" -> repeat = Integer.parseInt(args[++i]);
        case "--keep" -> keep = true;
        default -> {
          System.err.println("usage: ShardBench [--out DIR] [--dir TMP]... [--layers N] [--repeat N] [--keep]");
          System.exit(64);
        }
      }
    }
    SyntheticCheckpoint shape = new SyntheticCheckpoint(layers, 2048, 16, 4, 5632, 32000, 2);
    if (bases.isEmpty()) {
      bases.add(Path.of(System.getProperty("java.io.tmpdir")));
      // tmpfs takes the disk out: what is left is the sharder's own CPU cost.
      Path shm = Path.of("/dev/shm");
      if (Files.isDirectory(shm) && Files.getFileStore(shm).getUsableSpace() > 4 * shape.dataBytes()) {
        bases.add(shm);
      }
    }

    ObjectNode json = JSON.createObjectNode();
    json.put("generatedAt", Instant.now().toString());
    ObjectNode machine = json.putObject("machine");
    machine.put("cpus", Runtime.getRuntime().availableProcessors());
    machine.put("cpuModel", cpuModel());
    machine.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    machine.put("maxHeapBytes", Runtime.getRuntime().maxMemory());
    // The machine is shared: the load says how much the figures were disturbed.
    machine.put("loadAverageStart", loadAverage());
    json.put("repeat", repeat);
    json.put("plan405bMicros", planMicros());
    ArrayNode targets = json.putArray("targets");
    List<List<Run>> runsByTarget = new ArrayList<>();
    for (Path base : bases) {
      Path work = Files.createTempDirectory(base, "novacron-shard-bench-");
      try {
        List<Run> runs = new ArrayList<>();
        targets.add(measure(shape, work, repeat, runs));
        runsByTarget.add(runs);
      } finally {
        if (!keep) {
          deleteTree(work);
        }
      }
    }
    Files.createDirectories(out);
    machine.put("loadAverageEnd", loadAverage());
    Files.writeString(out.resolve("shard.json"), json.toPrettyString() + "\n");
    Files.writeString(out.resolve("shard.md"), markdown(json, runsByTarget));
    log("wrote %s and %s", out.resolve("shard.md"), out.resolve("shard.json"));
  }

  /** All runs on one file system; fills {@code runs} and returns their JSON. */
  private static ObjectNode measure(SyntheticCheckpoint shape, Path work, int repeat, List<Run> runs)
      throws IOException {
    int layers = shape.layers();
    log("generating %.2f GiB checkpoint in %s", shape.dataBytes() / (double) (1L << 30), work);
    long t0 = System.nanoTime();
    Path checkpoint = shape.write(work.resolve("checkpoint"));
    double generateSeconds = seconds(t0);
    long checkpointBytes = sizeOfFiles(checkpoint, ".safetensors");

    t0 = System.nanoTime();
    CheckpointInspection inspection = CheckpointInspector.inspect(checkpoint);
    double inspectSeconds = seconds(t0);

    Run transfer = new Run("copy (FileChannel.transferTo + fsync)", 0, 0, new ArrayList<>(), checkpointBytes,
        checkpointBytes, new ArrayList<>());
    Run buffered = new Run("copy (4 MiB heap buffer + fsync)", 0, 0, new ArrayList<>(), checkpointBytes,
        checkpointBytes, new ArrayList<>());
    // The sharder also hands back every written file's SHA-256 (the shard set needs them): the copy
    // that does as much is transferTo's, then a hash of each copy. It copies and hashes every file
    // of the directory (config and index too), so the threads follow that count.
    long filesCopied;
    try (Stream<Path> files = Files.list(checkpoint)) {
      filesCopied = files.count();
    }
    Run hashed = new Run(f("copy (transferTo + fsync), then SHA-256 of each copy, %d at once",
        ParallelDigests.threadsFor((int) filesCopied)), 0, 0,
        new ArrayList<>(), checkpointBytes, checkpointBytes, new ArrayList<>());
    runs.add(transfer);
    runs.add(buffered);
    runs.add(hashed);
    List<Run> shardRuns = new ArrayList<>();
    for (int[] layout : LAYOUTS) {
      shardRuns.add(new Run("shard TP " + layout[0] + " x PP " + layout[1], layout[0], layout[1],
          new ArrayList<>(), checkpointBytes, 0, new ArrayList<>()));
    }
    runs.addAll(shardRuns);

    copy(checkpoint, work.resolve("warmup"), true); // page cache warm-up, not measured
    deleteTree(work.resolve("warmup"));
    for (int r = 0; r < repeat; r++) {
      log("round %d of %d", r + 1, repeat);
      measureCopy(transfer, checkpoint, work.resolve("copy"), true);
      measureCopy(buffered, checkpoint, work.resolve("copy"), false);
      measureHashedCopy(hashed, checkpoint, work.resolve("copy"));
      for (int i = 0; i < shardRuns.size(); i++) {
        Run run = shardRuns.get(i);
        Path target = work.resolve("shards");
        deleteTree(target);
        HeapPeak.reset();
        long start = System.nanoTime();
        CheckpointSharder.shard(inspection, ShardLayout.of(run.tp(), run.pp(), layers), target);
        run.seconds().add(seconds(start));
        run.peakHeap().add(HeapPeak.peakBytes());
        long written = sizeOfFiles(target, ".safetensors");
        deleteTree(target);
        shardRuns.set(i, run = new Run(run.name(), run.tp(), run.pp(), run.seconds(), run.bytesIn(), written,
            run.peakHeap()));
        runs.set(BASELINES + i, run);
        log("  %s: %.2f s", run.name(), run.seconds().get(run.seconds().size() - 1));
      }
    }

    // Prove the last layout's shards put back together byte for byte, and time that too.
    Run verified = shardRuns.get(2);
    Path shards = work.resolve("shards");
    ShardManifest manifest = CheckpointSharder.shard(inspection, ShardLayout.of(verified.tp(), verified.pp(), layers), shards);
    HeapPeak.reset();
    t0 = System.nanoTime();
    ShardReassembler.Report report = ShardReassembler.verify(shards, inspection);
    double verifySeconds = seconds(t0);
    long verifyPeak = HeapPeak.peakBytes();
    deleteTree(shards);

    ObjectNode json = JSON.createObjectNode();
    json.put("directory", work.getParent().toString());
    json.put("fileSystem", Files.getFileStore(work).type());
    ObjectNode ckpt = json.putObject("checkpoint");
    ckpt.put("layers", layers).put("hidden", shape.hidden()).put("heads", shape.heads())
        .put("kvHeads", shape.kvHeads()).put("ffn", shape.ffn()).put("vocab", shape.vocab()).put("dtype", "BF16")
        .put("files", inspection.files().size()).put("tensors", inspection.tensors().size())
        .put("parameters", inspection.totalParameters()).put("bytes", checkpointBytes)
        .put("largestTensorBytes", inspection.tensors().stream().mapToLong(t -> t.byteLength()).max().orElse(0));
    json.put("generateSeconds", generateSeconds);
    json.put("inspectMillis", inspectSeconds * 1000);
    ArrayNode results = json.putArray("runs");
    for (Run run : runs) {
      ObjectNode node = results.addObject();
      node.put("name", run.name());
      node.put("tp", run.tp()).put("pp", run.pp());
      node.put("bytesIn", run.bytesIn()).put("bytesOut", run.bytesOut());
      ArrayNode secs = node.putArray("seconds");
      run.seconds().forEach(secs::add);
      node.put("medianSeconds", run.medianSeconds());
      node.put("bestSeconds", run.bestSeconds());
      node.put("bestInMBps", run.bestInMbPerSecond());
      node.put("inMBps", run.inMbPerSecond());
      node.put("outMBps", run.outMbPerSecond());
      if (!run.peakHeap().isEmpty()) {
        node.put("peakHeapBytes", run.maxPeakHeap());
      }
    }
    ObjectNode verify = json.putObject("verify");
    verify.put("layout", verified.name()).put("tensors", report.tensors()).put("pieces", report.pieces())
        .put("bytes", report.bytes()).put("seconds", verifySeconds)
        .put("MBps", report.bytes() / 1e6 / verifySeconds).put("peakHeapBytes", verifyPeak)
        .put("shardFiles", manifest.files().size());
    return json;
  }

  /** The copies measured before the sharder's runs, first in {@code runs}. */
  private static final int BASELINES = 3;

  /** {@code transferTo} and fsync, then what the shard step did after sharding before 117904c. */
  private static void measureHashedCopy(Run run, Path from, Path to) throws IOException {
    deleteTree(to);
    long start = System.nanoTime();
    copy(from, to, true);
    try (Stream<Path> files = Files.list(to)) {
      ParallelDigests.sha256(files.sorted().toList(), done -> {});
    }
    run.seconds().add(seconds(start));
    deleteTree(to);
  }

  private static void measureCopy(Run run, Path from, Path to, boolean transfer) throws IOException {
    deleteTree(to);
    long start = System.nanoTime();
    copy(from, to, transfer);
    run.seconds().add(seconds(start));
    deleteTree(to);
  }

  /** Copies every file of {@code from} into {@code to}, then forces each to disk as the sharder does. */
  private static void copy(Path from, Path to, boolean transfer) throws IOException {
    Files.createDirectories(to);
    ByteBuffer buffer = transfer ? null : ByteBuffer.allocate(4 << 20);
    try (Stream<Path> files = Files.list(from)) {
      for (Path file : files.sorted().toList()) {
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ);
            FileChannel out = FileChannel.open(to.resolve(file.getFileName()), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
          long size = in.size();
          long position = 0;
          while (position < size) {
            if (transfer) {
              position += in.transferTo(position, size - position, out);
            } else {
              buffer.clear();
              int n = in.read(buffer, position);
              buffer.flip();
              while (buffer.hasRemaining()) {
                out.write(buffer);
              }
              position += n;
            }
          }
          out.force(false);
        }
      }
    }
  }

  /** Median time of planning Llama 3.1 405B on two H100 nodes, in microseconds. */
  private static double planMicros() {
    PlanRequest request = PlanRequest.of(KnownModels.find("llama-3.1-405b").orElseThrow(), WeightDtype.BF16,
        List.of(GpuNode.ofGib("a", 8, "H100", 80), GpuNode.ofGib("b", 8, "H100", 80)));
    List<Double> micros = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      long start = System.nanoTime();
      ParallelismPlanner.plan(request);
      micros.add((System.nanoTime() - start) / 1e3);
    }
    return median(micros.subList(1000, 2000));
  }

  private static String markdown(ObjectNode json, List<List<Run>> runsByTarget) {
    StringBuilder md = new StringBuilder();
    ObjectNode m = (ObjectNode) json.get("machine");
    ObjectNode c = (ObjectNode) json.get("targets").get(0).get("checkpoint");
    md.append("# Checkpoint sharding benchmark\n\n");
    md.append("Generated by `starter/scripts/bench-shard.sh` (main class `io.novacron.bench.shard.ShardBench`)")
        .append(" on ").append(json.get("generatedAt").asText()).append(". Raw figures: `shard.json`.\n\n");
    boolean busy = busy(m);
    md.append(f("- Machine: %d CPUs (%s), %s, heap capped at %d MiB (`-Xmx`); %s"
            + " (1-minute load average %.1f at the start, %.1f at the end).%n",
        m.get("cpus").asInt(), m.get("cpuModel").asText(), m.get("java").asText(),
        m.get("maxHeapBytes").asLong() >> 20, busy ? "shared with other builds" : "no other work running",
        m.get("loadAverageStart").asDouble(), m.get("loadAverageEnd").asDouble()));
    md.append(f("- Checkpoint: Llama-shaped BF16, %d layers, hidden %d, %d heads / %d KV heads, FFN %d, vocabulary %d;"
            + " %d tensors in %d files, %.2f GiB (%.2f B parameters); largest tensor %.0f MiB.%n",
        c.get("layers").asInt(), c.get("hidden").asInt(), c.get("heads").asInt(), c.get("kvHeads").asInt(),
        c.get("ffn").asInt(), c.get("vocab").asInt(), c.get("tensors").asInt(), c.get("files").asInt(),
        c.get("bytes").asLong() / (double) (1L << 30), c.get("parameters").asLong() / 1e9,
        c.get("largestTensorBytes").asLong() / (double) (1L << 20)));
    md.append(f("- Planning Llama 3.1 405B on 2 x 8 H100 (`ParallelismPlanner.plan`): %.0f µs.%n",
        json.get("plan405bMicros").asDouble()));
    md.append(f("- Each run is repeated %d times (median and best below), reading a warm page cache; MB = 10^6 bytes."
        + " Every run ends with fsync of what it wrote.%n", json.get("repeat").asInt()));
    for (int t = 0; t < runsByTarget.size(); t++) {
      ObjectNode target = (ObjectNode) json.get("targets").get(t);
      List<Run> runs = runsByTarget.get(t);
      md.append(f("%n## Writing to %s (%s)%n%n", target.get("directory").asText(), target.get("fileSystem").asText()));
      md.append(f("Inspecting the checkpoint (config and headers only): %.1f ms.%n%n",
          target.get("inspectMillis").asDouble()));
      md.append("| run | median s | read MB/s (median) | best s | read MB/s (best) | vs transferTo (median) |"
          + " vs hashed copy (median) | vs buffered copy (best) | written MB | peak heap MiB |\n");
      md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
      double baseline = runs.get(1).bestInMbPerSecond();
      double transferTo = runs.get(0).inMbPerSecond();
      double hashedCopy = runs.get(2).inMbPerSecond();
      for (Run run : runs) {
        md.append(f("| %s | %.2f | %.0f | %.2f | %.0f | %.2fx | %.2fx | %.2fx | %.0f | %s |%n", run.name(),
            run.medianSeconds(), run.inMbPerSecond(), run.bestSeconds(), run.bestInMbPerSecond(),
            run.inMbPerSecond() / transferTo, run.inMbPerSecond() / hashedCopy, run.bestInMbPerSecond() / baseline,
            run.bytesOut() / 1e6,
            run.peakHeap().isEmpty() ? "-" : f("%.0f", run.maxPeakHeap() / (double) (1L << 20))));
      }
      ObjectNode v = (ObjectNode) target.get("verify");
      md.append(f("%nReassembly check (%s, %d shard files): %d tensors and %d pieces, %.2f GiB compared byte for"
              + " byte with the original in %.2f s (%.0f MB/s), peak heap %.0f MiB.%n",
          v.get("layout").asText(), v.get("shardFiles").asInt(), v.get("tensors").asInt(), v.get("pieces").asInt(),
          v.get("bytes").asLong() / (double) (1L << 30), v.get("seconds").asDouble(), v.get("MBps").asDouble(),
          v.get("peakHeapBytes").asLong() / (double) (1L << 20)));
    }
    md.append(f("""

        ## Reading the figures

        - *read MB/s* is checkpoint bytes consumed per second: the figure to compare with the copies.
          *written MB* counts replicas too (norms on every rank; with TP 8 and 4 KV heads each KV
          head is written twice).
        %s
        - The buffered copy is the plain user-space copy: through a heap buffer, which the JDK copies
          through a native buffer on each read and write, four copies of every byte. `transferTo` is
          an in-kernel copy (one) that never enters the JVM: on tmpfs a floor no user-space
          transformation can reach. On the disk the sharder can match or pass it, since the
          baseline forces each file only after copying it while the sharder's forces overlap its work.
        - On the disk, every run writes and fsyncs 1.5 GB to a shared virtual disk. tmpfs takes the
          disk out (fsync is a no-op) and shows the sharder's own CPU cost.
        - The sharder hashes every byte twice with SHA-256: every source byte once as the piece it
          lands in (a split tensor carries no whole-tensor digest of its own: manifest format 2), and
          every rank file whole as it fills, read back from the page cache (the shard set's digests,
          which the shard step used to compute in a pass of its own afterwards). So the copy to compare
          it with is the *hashed copy*: `transferTo`, then a SHA-256 of each copy. It reads the
          checkpoint through an 8 MiB memory-mapped window, so each byte is hashed straight from the
          page cache and copied once, by the positional write into its rank file, as `transferTo`
          copies it. Java's SHA-256 runs at 1.0-1.6 GB/s per core here (SHA-NI): on 2 cores each
          hash of 1.5 GB takes 0.5-0.75 s, the bulk of what the sharder adds over `transferTo`. Workers
          (min(16, cores), here 2) hash different tensors at once; on a GPU node's cores the disk
          rather than hashing bounds it (docs/bench/projection-405b.md). Row-parallel tensors
          (o_proj, down_proj) are cut into one short run per row per rank.
        - Rank files are forced to disk in the background every 64 MiB written to each and after its
          last piece, so on the disk the fsync (about 0.7 s for 1.5 GB here, longer than the kernel
          copy) overlaps the hashing instead of following it; `transferTo`'s copy forces each file after
          copying it.
        - Where the time went before the source was mapped (one thread over the 1.5 GB on /tmp,
          2026-12-07, load average about 10): reading into a 4 MiB direct buffer 0.2-0.3 s, SHA-256
          1.0-1.5 s, positional writes 0.5 s (more when the disk pushes back), fsync 0.7 s;
          `transferTo` 0.5 s plus the same fsync. The sharder paid all of these, the fsync last and
          alone; it now skips the read copy and hides most of the fsync behind the hashing.
        - Peak heap is the sum of the heap pools' peaks during the run, garbage included: an upper
          bound. The heap cap is below the largest tensor and far below the files, so no file or
          large tensor could have been held whole.
        """, busy
        ? "- The machine is shared: other builds ran during these rounds (load average above the core\n"
            + "  count), and single rounds swing by 2-3x. *Best* is the round least disturbed, the closest\n"
            + "  to the code's own cost; *median* is what a busy machine gives."
        : "- No other work ran during these rounds (load average at or below the core count): *median*\n"
            + "  and *best* differ by what the disk and the page cache do from one round to the next."));
    return md.toString();
  }

  /** Whether other work disturbed the rounds: the load average above the core count at either end. */
  static boolean busy(ObjectNode machine) {
    int cpus = machine.get("cpus").asInt();
    return Math.max(machine.get("loadAverageStart").asDouble(), machine.get("loadAverageEnd").asDouble()) > cpus;
  }

  /** The 1-minute load average, or -1 where the platform has none. */
  private static double loadAverage() {
    return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  private static String cpuModel() {
    try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
      return lines.filter(l -> l.startsWith("model name")).map(l -> l.substring(l.indexOf(':') + 1).trim())
          .findFirst().orElse("unknown");
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  private static long sizeOfFiles(Path dir, String suffix) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      long total = 0;
      for (Path p : files.filter(p -> p.toString().endsWith(suffix)).toList()) {
        total += Files.size(p);
      }
      return total;
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  private static double median(List<Double> values) {
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int mid = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }

  private static void log(String format, Object... args) {
    System.out.println(f(format, args));
  }

  private static String f(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }
}
