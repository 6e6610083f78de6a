package io.novacron.bench.temporal;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Temporal dev server of its own ({@code temporal server start-dev}) on a free loopback port,
 * its SQLite database and log in a directory the caller owns: a durable server that lives as
 * long as the benchmark or the lab test, and that a test can leave running while it kills and
 * restarts workers. {@link #close()} stops it; the directory stays.
 */
public final class TemporalDevServer implements AutoCloseable {
  /**
   * How NovaCron's single-node Temporal keeps its state ({@code novacron up},
   * novacron-temporal.service): SQLite's write-ahead log, synced at every commit. The benchmarks
   * and lab tests run the same, so that their figures are the product's.
   */
  public static final List<String> WAL_SYNCED = List.of("--sqlite-pragma", "journal_mode=wal", "--sqlite-pragma",
      "synchronous=full");
  /**
   * How fast NovaCron's single-node Temporal reads its transfer queue (the tasks that hand a
   * scheduled workflow or activity task to matching): Temporal's default of 20 reads a second per
   * shard held every workflow step at about 100 ms once a workflow had spent the limiter's burst
   * (docs/bench/temporal.md); 200 lets a step take what persistence and dispatch cost.
   */
  public static final List<String> QUEUE_READS = List.of("--dynamic-config-value",
      "history.transferProcessorMaxPollRPS=200");
  private static final long START_TIMEOUT_MS = 60_000;

  private final Process process;
  private final int port;

  private TemporalDevServer(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /**
   * Starts the server as the product runs it: {@code dir/temporal.db} (kept from an earlier start,
   * if there) with {@link #WAL_SYNCED} and {@link #QUEUE_READS}, and {@code dir/temporal.log};
   * returns once it answers a
   * health check.
   *
   * @throws IllegalStateException when it does not answer within 60 s (it is stopped then)
   */
  public static TemporalDevServer start(Path dir) throws Exception {
    List<String> storage = new ArrayList<>(List.of("--db-filename", dir.resolve("temporal.db").toString()));
    storage.addAll(WAL_SYNCED);
    storage.addAll(QUEUE_READS);
    return start(dir, storage);
  }

  /**
   * As {@link #start(Path)} with {@code storage} as the server's storage and dynamic-config flags
   * (none: in memory, at Temporal's defaults).
   */
  public static TemporalDevServer start(Path dir, List<String> storage) throws Exception {
    int port = freePort();
    List<String> command = new ArrayList<>(List.of("temporal", "server", "start-dev", "--headless", "--ip",
        "127.0.0.1", "--port", String.valueOf(port), "--log-level", "warn"));
    command.addAll(storage);
    Path log = dir.resolve("temporal.log");
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    long deadline = System.currentTimeMillis() + START_TIMEOUT_MS;
    String address = "127.0.0.1:" + port;
    while (!healthy(address)) {
      if (!process.isAlive() || System.currentTimeMillis() > deadline) {
        process.destroyForcibly();
        throw new IllegalStateException("the Temporal dev server did not start; see " + log + ": "
            + (Files.exists(log) ? Files.readString(log).strip() : ""));
      }
      Thread.sleep(300);
    }
    return new TemporalDevServer(process, port);
  }

  private static boolean healthy(String address) throws IOException, InterruptedException {
    return new ProcessBuilder("temporal", "operator", "cluster", "health", "--address", address)
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor() == 0;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  public int port() {
    return port;
  }

  /** {@code 127.0.0.1:<port>}, for clients and workers. */
  public String address() {
    return "127.0.0.1:" + port;
  }

  /** The server's process id (strace attaches to it). */
  public long pid() {
    return process.pid();
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
