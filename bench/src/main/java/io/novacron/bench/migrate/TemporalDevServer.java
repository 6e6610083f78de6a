package io.novacron.bench.migrate;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A Temporal dev server of its own ({@code temporal server start-dev}) on a free loopback port,
 * its SQLite database and log in a directory the caller owns: a durable server that lives as
 * long as the benchmark or the lab test, and that a test can leave running while it kills and
 * restarts workers. {@link #close()} stops it; the directory stays.
 */
final class TemporalDevServer implements AutoCloseable {
  private static final long START_TIMEOUT_MS = 60_000;

  private final Process process;
  private final int port;

  private TemporalDevServer(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /**
   * Starts the server with {@code dir/temporal.db} (kept from an earlier start, if there) and
   * {@code dir/temporal.log}, and returns once it answers a health check.
   *
   * @throws IllegalStateException when it does not answer within 60 s (it is stopped then)
   */
  static TemporalDevServer start(Path dir) throws Exception {
    int port = freePort();
    Process process = new ProcessBuilder("temporal", "server", "start-dev", "--headless", "--ip", "127.0.0.1",
        "--port", String.valueOf(port), "--db-filename", dir.resolve("temporal.db").toString(), "--log-level", "warn")
        .redirectErrorStream(true).redirectOutput(dir.resolve("temporal.log").toFile()).start();
    long deadline = System.currentTimeMillis() + START_TIMEOUT_MS;
    String address = "127.0.0.1:" + port;
    while (BenchLab.run("temporal", "operator", "cluster", "health", "--address", address).exitCode() != 0) {
      if (System.currentTimeMillis() > deadline) {
        process.destroyForcibly();
        throw new IllegalStateException("the Temporal dev server did not start; see " + dir.resolve("temporal.log"));
      }
      Thread.sleep(500);
    }
    return new TemporalDevServer(process, port);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  int port() {
    return port;
  }

  /** {@code 127.0.0.1:<port>}, for clients and workers. */
  String address() {
    return "127.0.0.1:" + port;
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
