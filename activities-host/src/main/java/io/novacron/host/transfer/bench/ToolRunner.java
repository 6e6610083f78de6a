package io.novacron.host.transfer.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the external baselines through a {@link LinkProxy}: netcat with and without zstd, and rsync
 * against its daemon. CPU is the user + system time GNU time reports for each end (every process
 * of a pipeline included).
 */
final class ToolRunner {
  private final Path work;

  ToolRunner(Path work) {
    this.work = work;
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
  Measurement netcat(String profile, String dataSet, Path file, long rate, long delay) throws Exception {
    return pipe(profile, dataSet, "raw copy (nc)", file, rate, delay,
        "nc -l 127.0.0.1 %PORT% > %OUT%", "nc -N 127.0.0.1 %LINK% < %IN%");
  }

  /** {@code zstd -T2 | nc}: what an operator would script by hand. */
  Measurement zstdNetcat(String profile, String dataSet, Path file, long rate, long delay) throws Exception {
    return pipe(profile, dataSet, "zstd -T2 -3 | nc", file, rate, delay,
        "nc -l 127.0.0.1 %PORT% | zstd -d -q -f -o %OUT%", "zstd -T2 -3 -q -c %IN% | nc -N 127.0.0.1 %LINK%");
  }

  private Measurement pipe(String profile, String dataSet, String method, Path file, long rate, long delay,
      String receiver, String sender) throws Exception {
    Path out = work.resolve("tool-out.bin");
    Files.deleteIfExists(out);
    int port = freePort();
    try (LinkProxy link = new LinkProxy(port, rate, delay)) {
      String recv = receiver.replace("%PORT%", Integer.toString(port)).replace("%OUT%", out.toString());
      String send = sender.replace("%LINK%", Integer.toString(link.port())).replace("%IN%", file.toString());
      Path recvCpu = work.resolve("cpu-recv");
      Path sendCpu = work.resolve("cpu-send");
      Process r = timed(recvCpu, recv);
      long t0 = System.nanoTime();
      Process s = timed(sendCpu, send);
      check(s, "sender: " + send);
      check(r, "receiver: " + recv);
      double wall = (System.nanoTime() - t0) / 1e9;
      boolean identical = Files.mismatch(file, out) == -1L;
      Files.deleteIfExists(out);
      return new Measurement(profile, dataSet, method, Files.size(file), wall, link.bytes(), cpu(recvCpu) + cpu(sendCpu),
          identical, 1, "");
    }
  }

  /**
   * rsync to its daemon (so that the wire is TCP through the link, as for the others), onto
   * {@code base} when given: rsync's own delta transfer.
   */
  Measurement rsync(String profile, String dataSet, Path file, Path base, boolean compress, long rate, long delay)
      throws Exception {
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
    Process daemon = timed(daemonCpu, "rsync --daemon --no-detach --address=127.0.0.1 --port=" + port + " --config=" + conf);
    try (LinkProxy link = new LinkProxy(port, rate, delay)) {
      awaitListening(port);
      String flags = "--no-whole-file --ignore-times" + (compress ? " --compress --compress-choice=zstd --compress-level=3" : "");
      long t0 = System.nanoTime();
      Process client = timed(clientCpu, "rsync " + flags + " " + file + " rsync://127.0.0.1:" + link.port() + "/bench/");
      check(client, "rsync client");
      double wall = (System.nanoTime() - t0) / 1e9;
      stop(daemon);
      boolean identical = Files.mismatch(file, landed) == -1L;
      return new Measurement(profile, dataSet, compress ? "rsync -z (zstd)" : "rsync", Files.size(file), wall, link.bytes(),
          cpu(daemonCpu) + cpu(clientCpu), identical, 1, base != null ? "delta against the old copy" : "");
    } finally {
      stop(daemon);
      Files.deleteIfExists(landed);
    }
  }

  private static Process timed(Path cpuFile, String command) throws IOException {
    Files.deleteIfExists(cpuFile);
    return new ProcessBuilder("/usr/bin/time", "-f", "%U %S", "-o", cpuFile.toString(), "bash", "-c", command)
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

  private static void awaitListening(int port) throws Exception {
    for (int i = 0; i < 250; i++) {
      try (Socket s = new Socket("127.0.0.1", port)) {
        return;
      } catch (IOException e) {
        Thread.sleep(20);
      }
    }
    throw new IOException("rsync daemon did not listen on " + port);
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
