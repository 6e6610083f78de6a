package io.novacron.bench.transfer;

import io.novacron.transfer.DataSets;
import io.novacron.transfer.DataSets.Shape;
import io.novacron.workflows.transfer.TransferOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
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
 * The transfer benchmark: generates data sets, moves each one over a 1 Gbit/s link and a 100 Mbit/s
 * link with 20 ms RTT with the engine (auto, zstd, lz4, none; with and without delta; none and auto
 * again over mutual TLS 1.3) and with the usual tools (raw nc, zstd -T2 | nc, rsync), and writes
 * {@code transfer.md}, {@code transfer.json} and {@code transfer.png}.
 *
 * <p>Run by {@code starter/scripts/bench-transfer.sh}, which (as root) makes two network
 * namespaces joined by a veth, runs this JVM in the sending one and passes {@code --receiver-netns},
 * {@code --veth} and {@code --receiver-host}: the links are then that veth, shaped by the kernel
 * ({@link VethLink}). Without them a userspace proxy on loopback stands in ({@link ProxyLink}).
 *
 * <pre>
 * --profiles=lan,wan       which links to measure (also: loopback, unshaped)
 * --size=1g                data set size on the lan link and loopback (1m..1g)
 * --lan-mbit=1000          the lan link's rate each way
 * --wan-size=256m          data set size on the wan link
 * --wan-mbit=100           the wan link's rate each way
 * --wan-rtt-ms=20          the wan link's round-trip time
 * --runs=1                 runs per row; the median is reported
 * --work=DIR               scratch directory (default: a temp dir, deleted afterwards)
 * --out=docs/bench         where the reports go
 * --report=transfer        base name of the report files (transfer.md, .json, .png)
 * --tls=on                 also run the engine over mutual TLS 1.3 ("engine none, TLS", "engine auto, TLS")
 * --methods=all            all: tools and engine; engine: the engine rows only (a quicker TLS-cost run)
 * --certs=DIR              node certificates (make-certs.sh DIR --nodes=bench-a,bench-b); default: made in --work
 * --receiver-netns=NAME --veth=LOCAL:PEER --receiver-host=ADDR   the veth link (see above)
 * --render=docs/bench/transfer.json  only re-render transfer.md and .png from earlier results
 * </pre>
 */
public final class TransferBench {
  private TransferBench() {}

  /** A link to measure over: its name in the report, rate (0: unshaped), RTT and data set size. */
  record Profile(String name, long mbit, long rttMs, long size) {}

  record Options(List<Profile> profiles, int runs, Path work, Path out, String receiverNetns, String veth,
      String receiverHost, String report, boolean tls, boolean tools, Path certs) {
    static Options parse(String[] args) {
      Map<String, String> a = new LinkedHashMap<>();
      for (String arg : args) {
        if (!arg.startsWith("--") || !arg.contains("=")) {
          throw new IllegalArgumentException("expected --key=value, got " + arg);
        }
        a.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
      }
      long size = bytes(a.getOrDefault("size", "1g"), "--size");
      long wanSize = bytes(a.getOrDefault("wan-size", "256m"), "--wan-size");
      List<Profile> profiles = new ArrayList<>();
      for (String p : a.getOrDefault("profiles", "lan,wan").split(",")) {
        profiles.add(switch (p.trim()) {
          case "loopback" -> new Profile("loopback", 0, 0, size);
          case "lan" -> new Profile("lan", Long.parseLong(a.getOrDefault("lan-mbit", "1000")), 0, size);
          case "wan" -> new Profile("wan", Long.parseLong(a.getOrDefault("wan-mbit", "100")),
              Long.parseLong(a.getOrDefault("wan-rtt-ms", "20")), wanSize);
          default -> throw new IllegalArgumentException("--profiles: unknown profile " + p + " (use loopback, lan, wan)");
        });
      }
      String tls = a.getOrDefault("tls", "on");
      if (!tls.equals("on") && !tls.equals("off")) {
        throw new IllegalArgumentException("--tls must be on or off, was " + tls);
      }
      String methods = a.getOrDefault("methods", "all");
      if (!methods.equals("all") && !methods.equals("engine")) {
        throw new IllegalArgumentException("--methods must be all or engine, was " + methods);
      }
      String report = a.getOrDefault("report", "transfer");
      if (!report.matches("[a-z0-9][a-z0-9-]{0,40}")) {
        throw new IllegalArgumentException("--report must be a file base name of a-z, 0-9 and '-', was " + report);
      }
      return new Options(profiles, Integer.parseInt(a.getOrDefault("runs", "1")),
          a.containsKey("work") ? Path.of(a.get("work")) : null, Path.of(a.getOrDefault("out", "docs/bench")),
          a.get("receiver-netns"), a.get("veth"), a.get("receiver-host"), report, tls.equals("on"),
          methods.equals("all"), a.containsKey("certs") ? Path.of(a.get("certs")) : null);
    }

    static long bytes(String s, String option) {
      String v = s.trim().toLowerCase(Locale.ROOT);
      long mult = v.endsWith("g") ? 1L << 30 : v.endsWith("m") ? 1L << 20 : v.endsWith("k") ? 1L << 10 : 1;
      long n = Long.parseLong(mult == 1 ? v : v.substring(0, v.length() - 1)) * mult;
      if (n > (1L << 30) || n < (1 << 20)) {
        throw new IllegalArgumentException(option + " must be between 1m and 1g");
      }
      return n;
    }

    /** The link a profile runs over: the veth when the script made one (loopback never). */
    BenchLink link(Profile p) throws IOException, InterruptedException {
      if (receiverNetns == null || p.mbit() == 0) {
        return new ProxyLink(p.mbit() * 1_000_000 / 8, p.rttMs() / 2);
      }
      String[] ends = veth.split(":");
      return new VethLink(new NetworkNamespace(receiverNetns), ends[0], ends[1], receiverHost, p.mbit(), p.rttMs() / 2);
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
      // Re-renders transfer.md and the chart from a transfer.json, without measuring again.
      Path json = Path.of(args[0].substring("--render=".length()));
      BenchReport.fromJson(json).write(json.getParent());
      System.out.println("rendered " + json.getParent().resolve(json.getFileName().toString().replace(".json", ".md")));
      return;
    }
    Options o = Options.parse(args);
    Path work = o.work() != null ? Files.createDirectories(o.work()) : Files.createTempDirectory("novacron-bench");
    List<Measurement> results = new ArrayList<>();
    Map<String, Object> env = environment(o);
    try {
      Path data = Files.createDirectories(work.resolve("data"));
      Path engineTarget = Files.createDirectories(work.resolve("engine-target"));
      BenchCerts certs = o.tls() ? BenchCerts.in(o.certs() != null ? o.certs() : work.resolve("certs")) : null;
      if (certs != null) {
        env.put("tls", "engine rows marked TLS: mutual TLS 1.3 (JDK " + System.getProperty("java.version")
            + " JSSE defaults, EC P-256 node certificates from " + BenchCerts.SCRIPT + "), a handshake per stream");
      }
      Map<Long, List<DataSet>> setsBySize = new LinkedHashMap<>();
      for (Profile p : o.profiles()) {
        List<DataSet> sets = setsBySize.computeIfAbsent(p.size(), size -> dataSets(data, (size >> 20) + "m-", size));
        try (BenchLink link = o.link(p); EngineRunner engine = new EngineRunner(data, engineTarget, link);
            EngineRunner tls = certs == null ? null
                : new EngineRunner(data, engineTarget, link, certs.sender(), certs.receiver())) {
          env.put(p.name() + " link", link.description());
          warmUp(engine, data);
          if (tls != null) {
            warmUp(tls, data);
          }
          env.put("load average before " + p.name() + " runs", loadAverage());
          results.addAll(profile(p.name(), sets, o, engine, tls, new ToolRunner(work, link)));
          env.put("load average after " + p.name() + " runs", loadAverage());
        }
      }
      new BenchReport(o.report(), env, results).write(o.out());
      System.out.println("wrote " + o.out().resolve(o.report() + ".md") + ", .json and .png");
    } finally {
      if (o.work() == null) {
        deleteTree(work);
      }
    }
  }

  private static List<Measurement> profile(String profile, List<DataSet> sets, Options o, EngineRunner engine,
      EngineRunner tls, ToolRunner tools) throws Exception {
    List<Measurement> out = new ArrayList<>();
    // The baselines' CPU comes from GNU time: without it they are skipped.
    boolean time = o.tools() && Files.isExecutable(Path.of("/usr/bin/time"));
    boolean nc = time && ToolRunner.available("nc");
    boolean zstd = ToolRunner.available("zstd");
    boolean rsync = time && ToolRunner.available("rsync");
    for (DataSet set : sets) {
      String n = set.name();
      Path f = set.file();
      Path base = set.base();
      int first = out.size();
      if (nc) {
        out.add(median(o.runs(), () -> tools.netcat(profile, n, f)));
      }
      if (nc && zstd) {
        out.add(median(o.runs(), () -> tools.zstdNetcat(profile, n, f)));
      }
      if (rsync) {
        out.add(median(o.runs(), () -> tools.rsync(profile, n, f, base, false)));
        out.add(median(o.runs(), () -> tools.rsync(profile, n, f, base, true)));
      }
      TransferOptions plain = TransferOptions.defaults().withDelta(false);
      for (String codec : new String[] {"none", "lz4", "zstd:3", "auto"}) {
        out.add(median(o.runs(), () -> engine.run(profile, n, "engine " + codec, f, base, plain.withCodec(codec))));
      }
      if (tls != null) {
        // The cost of TLS: the same transfers as "engine none" and "engine auto", encrypted.
        for (String codec : new String[] {"none", "auto"}) {
          out.add(median(o.runs(), () -> tls.run(profile, n, "engine " + codec + BenchReport.TLS_SUFFIX, f, base,
              plain.withCodec(codec))));
        }
      }
      if (base != null) {
        TransferOptions delta = TransferOptions.defaults().withDelta(true);
        // The defaults: the receiver picks the block size (4 KiB onto a base of up to 4 GiB).
        out.add(median(o.runs(), () -> engine.run(profile, n, "engine default (auto + delta, receiver's blocks)", f,
            base, delta)));
        out.add(median(o.runs(), () -> engine.run(profile, n, "engine auto + delta (64 KiB blocks)", f, base,
            delta.withBlockSize(TransferOptions.DEFAULT_BLOCK_SIZE))));
        out.add(median(o.runs(), () -> engine.run(profile, n, "engine auto + delta (4 KiB blocks)", f, base,
            delta.withBlockSize(4096))));
        out.add(median(o.runs(), () -> engine.run(profile, n, "engine none + delta (4 KiB blocks)", f, base,
            delta.withBlockSize(4096).withCodec("none"))));
      }
      for (Measurement m : out.subList(first, out.size())) {
        System.out.printf(Locale.ROOT, "%-8s %-22s %-38s %7.2f s %8.1f MiB wire %6.2f CPU s %s%n", profile, n,
            m.method(), m.wallSeconds(), m.wireBytes() / 1048576.0, m.cpuSeconds(), m.identical() ? "" : "MISMATCH");
      }
    }
    return out;
  }

  private static List<DataSet> dataSets(Path dir, String prefix, long size) {
    try {
      return writeDataSets(dir, prefix, size);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<DataSet> writeDataSets(Path dir, String prefix, long size) throws IOException {
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
      engine.run("warmup", "warmup", codec, f, null, TransferOptions.defaults().withCodec(codec));
    }
    Files.delete(f);
  }

  private static Measurement median(int runs, Run run) throws Exception {
    List<Measurement> all = new ArrayList<>();
    ThreadLeakGuard threads = new ThreadLeakGuard();
    for (int i = 0; i < runs; i++) {
      all.add(run.once());
    }
    threads.check(all.get(0).profile() + " / " + all.get(0).dataSet() + " / " + all.get(0).method(), 5_000);
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
    StringBuilder sizes = new StringBuilder();
    for (Profile p : o.profiles()) {
      sizes.append(p.name()).append(' ').append(p.size() >> 20).append(" MiB each, ");
    }
    env.put("data sets", sizes + "guest RAM = 4 KiB pages 50% zero / 30% text / 20% random; mostly-zero disk = 90% "
        + "of 64 KiB extents zero, rest text or random; the 5% set changes 5% of the RAM set's 4 KiB pages");
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
