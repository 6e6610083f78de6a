package io.novacron.bench.transfer;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the external baselines over a {@link BenchLink}: netcat with and without zstd, and rsync
 * against its daemon, each receiver on the link's receiving side. CPU is the user + system time
 * GNU time reports for each end (every process of a pipeline included).
 */
final class ToolRunner {
  private final Path work;
  private final BenchLink link;

  ToolRunner(Path work, BenchLink link) {
    this.work = work;
    this.link = link;
  }

  static boolean available(String tool) {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
      if (Files.isExecutable(Path.of(dir, tool))) {
        return true;
      }
    }
    return false;
  }

  static String version(String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes()).lines().findFirst().orElse("?");
      p.waitFor(10, TimeUnit.SECONDS);
      return out.trim();
    } catch (IOException | InterruptedException e) {
      return "unavailable";
    }
  }

  /** {@code nc} alone: the raw copy over TCP every other method is compared with. */
  Measurement netcat(String profile, String dataSet, Path file) throws Exception {
    return pipe(profile, dataSet, "raw copy (nc)", file, "nc -l %HOST% %PORT% > %OUT%", "nc -N %LINKHOST% %LINK% < %IN%");
  }

  /** {@code zstd -T2 | nc}: what an operator would script by hand. */
  Measurement zstdNetcat(String profile, String dataSet, Path file) throws Exception {
    return pipe(profile, dataSet, "zstd -T2 -3 | nc", file,
        "nc -l %HOST% %PORT% | zstd -d -q -f -o %OUT%", "zstd -T2 -3 -q -c %IN% | nc -N %LINKHOST% %LINK% ");
  }

  private Measurement pipe(String profile, String dataSet, String method, Path file, String receiver, String sender)
      throws Exception {
    Path out = work.resolve("tool-out.bin");
    Files.deleteIfExists(out);
    int port = freePort();
    try (BenchLink.Route route = link.route(port)) {
      String recv = receiver.replace("%HOST%", link.receiverHost()).replace("%PORT%", Integer.toString(port))
          .replace("%OUT%", out.toString());
      String send = sender.replace("%LINKHOST%", route.host()).replace("%LINK%", Integer.toString(route.port()))
          .replace("%IN%", file.toString());
      Path recvCpu = work.resolve("cpu-recv");
      Path sendCpu = work.resolve("cpu-send");
      Process r = start(link.atReceiver(timed(recvCpu, recv)));
      awaitListening(link.receiverHost(), port);
      long t0 = System.nanoTime();
      Process s = start(timed(sendCpu, send));
      check(s, "sender: " + send);
      check(r, "receiver: " + recv);
      double wall = (System.nanoTime() - t0) / 1e9;
      boolean identical = Files.mismatch(file, out) == -1L;
      Files.deleteIfExists(out);
      return new Measurement(profile, dataSet, method, Files.size(file), wall, route.wireBytes(),
          cpu(recvCpu) + cpu(sendCpu), identical, 1, route.connectionsNote());
    }
  }

  /**
   * rsync to its daemon (so that the wire is TCP through the link, as for the others), onto
   * {@code base} when given: rsync's own delta transfer.
   */
  Measurement rsync(String profile, String dataSet, Path file, Path base, boolean compress) throws Exception {
    Path module = Files.createDirectories(work.resolve("rsync-module"));
    Path landed = module.resolve(file.getFileName());
    Files.deleteIfExists(landed);
    if (base != null) {
      Files.copy(base, landed, StandardCopyOption.REPLACE_EXISTING);
    }
    int port = freePort();
    Path conf = work.resolve("rsyncd.conf");
    Files.writeString(conf, "pid file = " + work.resolve("rsyncd.pid") + "\nuse chroot = false\n[bench]\npath = " + module
        + "\nread only = false\nuid = " + id("-u") + "\ngid = " + id("-g") + "\n");
    Path daemonCpu = work.resolve("cpu-daemon");
    Path clientCpu = work.resolve("cpu-client");
    Process daemon = start(link.atReceiver(timed(daemonCpu,
        "rsync --daemon --no-detach --address=" + link.receiverHost() + " --port=" + port + " --config=" + conf)));
    try (BenchLink.Route route = link.route(port)) {
      awaitListening(link.receiverHost(), port);
      String flags = "--no-whole-file --ignore-times" + (compress ? " --compress --compress-choice=zstd --compress-level=3" : "");
      long t0 = System.nanoTime();
      Process client = start(timed(clientCpu, "rsync " + flags + " " + file + " rsync://" + route.host() + ":" + route.port()
          + "/bench/"));
      check(client, "rsync client");
      double wall = (System.nanoTime() - t0) / 1e9;
      stop(daemon);
      boolean identical = Files.mismatch(file, landed) == -1L;
      return new Measurement(profile, dataSet, compress ? "rsync -z (zstd)" : "rsync", Files.size(file), wall, route.wireBytes(),
          cpu(daemonCpu) + cpu(clientCpu), identical, 1, String.join("; ", java.util.stream.Stream.of(
              base != null ? "delta against the old copy" : "", route.connectionsNote()).filter(s -> !s.isEmpty()).toList()));
    } finally {
      stop(daemon);
      Files.deleteIfExists(landed);
    }
  }

  /** {@code command} under GNU time, which writes its CPU seconds to {@code cpuFile}. */
  private static List<String> timed(Path cpuFile, String command) throws IOException {
    Files.deleteIfExists(cpuFile);
    return List.of("/usr/bin/time", "-f", "%U %S", "-o", cpuFile.toString(), "bash", "-c", command);
  }

  private static Process start(List<String> command) throws IOException {
    return new ProcessBuilder(command)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
  }

  private static void check(Process p, String what) throws Exception {
    if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
      throw new IOException(what + " failed with " + (p.isAlive() ? "a timeout" : "exit " + p.exitValue()));
    }
  }

  /** Stops the daemon under GNU time (not time itself, or it would not report). */
  private static void stop(Process timed) throws InterruptedException {
    if (!timed.isAlive()) {
      return;
    }
    List<ProcessHandle> children = new ArrayList<>();
    timed.toHandle().children().forEach(children::add);
    children.forEach(ProcessHandle::destroy);
    if (!timed.waitFor(10, TimeUnit.SECONDS)) {
      timed.destroyForcibly();
    }
  }

  private static double cpu(Path file) throws IOException, InterruptedException {
    for (int i = 0; i < 100 && (!Files.exists(file) || Files.size(file) == 0); i++) {
      Thread.sleep(20);
    }
    String[] f = Files.readString(file).trim().split("\\s+");
    return Double.parseDouble(f[f.length - 2]) + Double.parseDouble(f[f.length - 1]);
  }

  /**
   * Waits until the receiver listens. Not by connecting: netcat would take the probe for the
   * transfer; {@code ss} on the receiving side lists the listening socket instead.
   */
  private void awaitListening(String host, int port) throws Exception {
    for (int i = 0; i < 250; i++) {
      if (listening(port)) {
        return;
      }
      Thread.sleep(20);
    }
    throw new IOException("no receiver listened on " + host + ":" + port);
  }

  /** Whether a socket listens on {@code port} on the receiving side ({@code ss -ltn}). */
  private boolean listening(int port) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(link.atReceiver(List.of("ss", "-Hltn", "sport = :" + port))).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    p.waitFor(10, TimeUnit.SECONDS);
    return !out.isBlank();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static String id(String flag) {
    return version("id", flag);
  }
}
