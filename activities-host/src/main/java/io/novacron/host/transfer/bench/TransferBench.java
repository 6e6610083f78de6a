package io.novacron.host.transfer.bench;

import io.novacron.host.transfer.bench.DataSets.Shape;
import io.novacron.workflows.transfer.TransferOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The transfer benchmark: generates data sets, moves each one over a loopback link and over a
 * shaped "WAN" link with the engine (auto, zstd, lz4, none; with and without delta) and with the
 * usual tools (raw nc, zstd -T2 | nc, rsync), and writes {@code transfer.md} and
 * {@code transfer.json}.
 *
 * <pre>
 * --size=256m        data set size on loopback (up to 1g)
 * --wan-size=64m     data set size on the shaped link
 * --wan-mbit=100     shaped link rate per direction; 0 skips the shaped link
 * --wan-rtt-ms=40    shaped link round-trip time
 * --runs=1           runs per row; the median is reported
 * --work=DIR         scratch directory (default: a temp dir, deleted afterwards)
 * --out=docs/bench   where the reports go
 * --profiles=loopback,wan  which links to measure
 * --render=docs/bench/transfer.json  only re-render transfer.md from earlier results
 * </pre>
 */
public final class TransferBench {
  private TransferBench() {}

  record Options(long size, long wanSize, long wanMbit, long wanRttMs, int runs, Path work, Path out, String profiles) {
    static Options parse(String[] args) {
      Map<String, String> a = new LinkedHashMap<>();
      for (String arg : args) {
        if (!arg.startsWith("--") || !arg.contains("=")) {
          throw new IllegalArgumentException("expected --key=value, got " + arg);
        }
        a.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
      }
      long size = bytes(a.getOrDefault("size", "256m"));
      if (size > (1L << 30) || size < (1 << 20)) {
        throw new IllegalArgumentException("--size must be between 1m and 1g");
      }
      return new Options(size, bytes(a.getOrDefault("wan-size", "64m")), Long.parseLong(a.getOrDefault("wan-mbit", "100")),
          Long.parseLong(a.getOrDefault("wan-rtt-ms", "40")), Integer.parseInt(a.getOrDefault("runs", "1")),
          a.containsKey("work") ? Path.of(a.get("work")) : null, Path.of(a.getOrDefault("out", "docs/bench")),
          a.getOrDefault("profiles", "loopback,wan"));
    }

    static long bytes(String s) {
      String v = s.trim().toLowerCase(Locale.ROOT);
      long mult = v.endsWith("g") ? 1L << 30 : v.endsWith("m") ? 1L << 20 : v.endsWith("k") ? 1L << 10 : 1;
      return Long.parseLong(mult == 1 ? v : v.substring(0, v.length() - 1)) * mult;
    }
  }

  /** A data set: its file and, for the delta set, the older copy the receiver already has. */
  record DataSet(String name, Path file, Path base) {}

  /** One row of the matrix: how to run it. */
  @FunctionalInterface
  interface Run {
    Measurement once() throws Exception;
  }

  public static void main(String[] args) throws Exception {
    if (args.length == 1 && args[0].startsWith("--render=")) {
      // Re-renders transfer.md from a transfer.json, without measuring again.
      Path json = Path.of(args[0].substring("--render=".length()));
      BenchReport.fromJson(json).write(json.getParent());
      System.out.println("rendered " + json.resolveSibling("transfer.md"));
      return;
    }
    Options o = Options.parse(args);
    Path work = o.work() != null ? Files.createDirectories(o.work()) : Files.createTempDirectory("novacron-bench");
    List<Measurement> results = new ArrayList<>();
    Map<String, Object> env = environment(o);
    try {
      Path data = Files.createDirectories(work.resolve("data"));
      Path engineTarget = Files.createDirectories(work.resolve("engine-target"));
      ToolRunner tools = new ToolRunner(work);
      try (EngineRunner engine = new EngineRunner(data, engineTarget)) {
        warmUp(engine, data);
        if (o.profiles().contains("loopback")) {
          List<DataSet> sets = dataSets(data, "", o.size());
          env.put("load average before loopback runs", loadAverage());
          results.addAll(profile("loopback", sets, 0, 0, o, engine, tools));
          env.put("load average after loopback runs", loadAverage());
        }
        if (o.wanMbit() > 0 && o.profiles().contains("wan")) {
          long rate = o.wanMbit() * 1_000_000 / 8;
          List<DataSet> sets = dataSets(data, "wan-", o.wanSize());
          env.put("load average before wan runs", loadAverage());
          results.addAll(profile("wan", sets, rate, o.wanRttMs() / 2, o, engine, tools));
          env.put("load average after wan runs", loadAverage());
        }
      }
      new BenchReport(env, results).write(o.out());
      System.out.println("wrote " + o.out().resolve("transfer.md") + " and transfer.json");
    } finally {
      if (o.work() == null) {
        deleteTree(work);
      }
    }
  }

  private static List<Measurement> profile(String profile, List<DataSet> sets, long rate, long delay, Options o,
      EngineRunner engine, ToolRunner tools) throws Exception {
    List<Measurement> out = new ArrayList<>();
    // The baselines' CPU comes from GNU time: without it they are skipped.
    boolean time = Files.isExecutable(Path.of("/usr/bin/time"));
    boolean nc = time && ToolRunner.available("nc");
    boolean zstd = ToolRunner.available("zstd");
    boolean rsync = time && ToolRunner.available("rsync");
    for (DataSet set : sets) {
      String n = set.name();
      Path f = set.file();
      Path base = set.base();
      if (nc) {
        out.add(median(o.runs(), () -> tools.netcat(profile, n, f, rate, delay)));
      }
      if (nc && zstd) {
        out.add(median(o.runs(), () -> tools.zstdNetcat(profile, n, f, rate, delay)));
      }
      if (rsync) {
        out.add(median(o.runs(), () -> tools.rsync(profile, n, f, base, false, rate, delay)));
        out.add(median(o.runs(), () -> tools.rsync(profile, n, f, base, true, rate, delay)));
      }
      TransferOptions plain = TransferOptions.defaults().withDelta(false);
      for (String codec : new String[] {"none", "lz4", "zstd:3", "auto"}) {
        out.add(median(o.runs(), () -> engine.run(profile, n, "engine " + codec, f, base, plain.withCodec(codec), rate, delay)));
      }
      if (base != null) {
        TransferOptions delta = TransferOptions.defaults().withDelta(true);
        out.add(median(o.runs(), () -> engine.run(profile, n, "engine auto + delta (64 KiB blocks)", f, base, delta, rate, delay)));
        out.add(median(o.runs(), () -> engine.run(profile, n, "engine auto + delta (4 KiB blocks)", f, base,
            delta.withBlockSize(4096), rate, delay)));
        out.add(median(o.runs(), () -> engine.run(profile, n, "engine none + delta (4 KiB blocks)", f, base,
            delta.withBlockSize(4096).withCodec("none"), rate, delay)));
      }
      for (Measurement m : out.subList(Math.max(0, out.size() - 12), out.size())) {
        if (m.dataSet().equals(n)) {
          System.out.printf(Locale.ROOT, "%-8s %-22s %-38s %7.2f s %8.1f MiB wire %6.2f CPU s %s%n", profile, n,
              m.method(), m.wallSeconds(), m.wireBytes() / 1048576.0, m.cpuSeconds(), m.identical() ? "" : "MISMATCH");
        }
      }
    }
    return out;
  }

  private static List<DataSet> dataSets(Path dir, String prefix, long size) throws IOException {
    Path ram = dir.resolve(prefix + "ram.img");
    Path disk = dir.resolve(prefix + "disk.img");
    Path random = dir.resolve(prefix + "random.img");
    Path modified = dir.resolve(prefix + "ram-5pct.img");
    DataSets.write(ram, Shape.RAM, size, 1);
    DataSets.write(disk, Shape.DISK, size, 2);
    DataSets.write(random, Shape.RANDOM, size, 3);
    DataSets.modifiedCopy(ram, modified, 0.05, DataSets.PAGE, 4);
    String mib = (size >> 20) + " MiB";
    return List.of(
        new DataSet("guest RAM (" + mib + ")", ram, null),
        new DataSet("mostly-zero disk (" + mib + ")", disk, null),
        new DataSet("random (" + mib + ")", random, null),
        new DataSet("guest RAM, 5% of pages changed, old copy at receiver (" + mib + ")", modified, ram));
  }

  private static void warmUp(EngineRunner engine, Path data) throws Exception {
    Path f = data.resolve("warmup.img");
    DataSets.write(f, Shape.RAM, 32L << 20, 99);
    for (String codec : new String[] {"lz4", "zstd:3", "auto"}) {
      engine.run("warmup", "warmup", codec, f, null, TransferOptions.defaults().withCodec(codec), 0, 0);
    }
    Files.delete(f);
  }

  private static Measurement median(int runs, Run run) throws Exception {
    List<Measurement> all = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      all.add(run.once());
    }
    all.sort(Comparator.comparingDouble(Measurement::wallSeconds));
    Measurement m = all.get(all.size() / 2);
    boolean allIdentical = all.stream().allMatch(Measurement::identical);
    return new Measurement(m.profile(), m.dataSet(), m.method(), m.rawBytes(), m.wallSeconds(), m.wireBytes(),
        m.cpuSeconds(), allIdentical, runs, m.note());
  }

  private static Map<String, Object> environment(Options o) throws IOException {
    Map<String, Object> env = new LinkedHashMap<>();
    env.put("date", Instant.now().toString());
    env.put("cpu", cpuModel() + ", " + Runtime.getRuntime().availableProcessors() + " cores visible (shared with other work)");
    env.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    env.put("zstd", ToolRunner.version("zstd", "--version"));
    env.put("rsync", ToolRunner.version("rsync", "--version"));
    env.put("netcat", "OpenBSD netcat (nc -N)");
    env.put("loopback link", "127.0.0.1 through a counting userspace proxy, no shaping");
    env.put("wan link", o.wanMbit() > 0
        ? o.wanMbit() + " Mbit/s each way, " + o.wanRttMs() + " ms RTT, no loss; a userspace token-bucket proxy, "
            + "NOT tc/netem between network namespaces (not done: it needs root and would shape the shared machine)"
        : "skipped");
    env.put("data sets", "loopback " + (o.size() >> 20) + " MiB each, wan " + (o.wanSize() >> 20)
        + " MiB each; guest RAM = 4 KiB pages 50% zero / 30% text / 20% random; mostly-zero disk = 90% of 64 KiB "
        + "extents zero, rest text or random; the 5% set changes 5% of the RAM set's 4 KiB pages");
    env.put("engine", "2 streams, 64 KiB blocks unless noted, verify on (SHA-256 of the whole file at both ends), "
        + "data and journal forced to disk every 8 MiB and at commit; nc, zstd and rsync do not fsync");
    env.put("caches", "inputs are read from the page cache (written just before); every run starts with no output file");
    env.put("runs per row", o.runs() + " (median)");
    return env;
  }

  /** 1, 5 and 15 minute load averages: the machine is shared, and the numbers depend on it. */
  private static String loadAverage() throws IOException {
    Path load = Path.of("/proc/loadavg");
    if (!Files.exists(load)) {
      return "unknown";
    }
    String[] f = Files.readString(load).trim().split("\\s+");
    return f[0] + " " + f[1] + " " + f[2] + " (on " + Runtime.getRuntime().availableProcessors() + " cores)";
  }

  private static String cpuModel() throws IOException {
    Path info = Path.of("/proc/cpuinfo");
    if (!Files.exists(info)) {
      return System.getProperty("os.arch");
    }
    return Files.readAllLines(info).stream().filter(l -> l.startsWith("model name"))
        .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("unknown CPU");
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (var paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
