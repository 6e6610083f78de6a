package io.novacron.bench.migrate;

import io.novacron.bench.net.NetProbe;
import io.novacron.bench.net.ProbeReport;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A {@link NetProbe} run in the lab's client namespace ({@code novacron-c}) around one migration:
 * started before it, stopped (stdin closed) after it, its JSON line parsed. The probe runs in a JVM
 * of its own, from the bench module's classes ({@code bench/target/classes}, or the system property
 * {@code novacron.bench.probe-classpath}), because a JVM cannot move its threads into another
 * network namespace.
 *
 * <p>Anything that keeps the probe from running fails the benchmark: a run without the client's
 * view would silently lose the network column.
 */
final class ClientProbe implements AutoCloseable {
  static final Path CLIENT_NS = Path.of("/run/netns/novacron-c");

  private final Process process;
  private final CompletableFuture<String> stdout;
  private final StringBuffer stderr = new StringBuffer();

  private ClientProbe(Process process) {
    this.process = process;
    this.stdout = CompletableFuture.supplyAsync(() -> drain(process.getInputStream(), null));
    Thread err = new Thread(() -> drain(process.getErrorStream(), stderr), "probe-stderr");
    err.setDaemon(true);
    err.start();
  }

  /** Fails loudly when the client namespace or the probe's classes are missing. */
  static void checkAvailable() {
    if (!Files.exists(CLIENT_NS)) {
      throw new IllegalStateException("no client namespace " + CLIENT_NS
          + ": the network-visible downtime needs the lab's novacron-c (starter/scripts/lab.sh up)");
    }
    Path cls = classpath().resolve("io/novacron/bench/net/NetProbe.class");
    if (!Files.isRegularFile(cls)) {
      throw new IllegalStateException("no " + cls + ": build the bench module (mvn -pl bench -am package)"
          + " or set -Dnovacron.bench.probe-classpath");
    }
  }

  static Path classpath() {
    return Path.of(System.getProperty("novacron.bench.probe-classpath", "bench/target/classes")).toAbsolutePath();
  }

  /**
   * Starts a probe against {@code ip:7} and returns once its connection is up. A guest that is not
   * answering yet (a cold move's reboot) gets retries until {@code timeoutMs}; then it fails.
   */
  static ClientProbe start(String ip, long timeoutMs) throws Exception {
    checkAvailable();
    String java = ProcessHandle.current().info().command().orElse("java");
    long deadline = System.currentTimeMillis() + timeoutMs;
    String last = "";
    while (true) {
      Process p = new ProcessBuilder("nsenter", "--net=" + CLIENT_NS, java, "-Xmx64m", "-XX:TieredStopAtLevel=1",
          "-cp", classpath().toString(), NetProbe.class.getName(), ip, "7", "--connect-timeout-ms=3000").start();
      ClientProbe probe = new ClientProbe(p);
      while (p.isAlive() && !probe.stderr.toString().contains("netprobe: connected")) {
        Thread.sleep(20);
      }
      if (probe.stderr.toString().contains("netprobe: connected")) {
        return probe;
      }
      p.waitFor(5, TimeUnit.SECONDS);
      last = probe.stderr.toString().strip();
      if (System.currentTimeMillis() > deadline) {
        throw new IllegalStateException("the probe in novacron-c could not connect to " + ip + ":7: " + last);
      }
      Thread.sleep(1000);
    }
  }

  /** Closes the probe's stdin and parses its report; fails when there is none. */
  ProbeReport finish() throws Exception {
    process.getOutputStream().close();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("the probe did not stop: " + stderr);
    }
    String out = stdout.get(5, TimeUnit.SECONDS);
    try {
      return ProbeReport.parse(out);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(e.getMessage() + "; stderr: " + stderr, e);
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
    }
  }

  private static String drain(InputStream in, StringBuffer into) {
    StringBuilder all = new StringBuilder();
    byte[] buf = new byte[4096];
    try {
      int n;
      while ((n = in.read(buf)) != -1) {
        String s = new String(buf, 0, n, StandardCharsets.UTF_8);
        all.append(s);
        if (into != null) {
          into.append(s);
        }
      }
    } catch (IOException ignored) {
      // the process went away
    }
    return all.toString();
  }
}
