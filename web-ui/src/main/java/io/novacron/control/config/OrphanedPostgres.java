package io.novacron.control.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded PostgreSQL a killed control plane left running. The embedded server is a process
 * of its own: a {@code kill -9} of the control plane (or the OOM killer) ends the JVM, not the
 * postmaster, which keeps the data directory and the port, and the next start would fail on
 * both. Its {@code postmaster.pid} names it; it is asked to shut down (SIGTERM, PostgreSQL's
 * "smart" shutdown, quick once the dead JVM's connections are gone) before a new one starts on
 * the same directory. Nothing is lost: PostgreSQL's shutdown and its crash recovery are both safe.
 */
final class OrphanedPostgres {
  private static final Logger log = LoggerFactory.getLogger(OrphanedPostgres.class);
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  private OrphanedPostgres() {}

  static void stop(Path dataDirectory) throws IOException {
    Path pidFile = dataDirectory.resolve("postmaster.pid");
    if (!Files.isRegularFile(pidFile)) {
      return;
    }
    List<String> lines = Files.readAllLines(pidFile);
    if (lines.isEmpty() || !lines.get(0).strip().matches("\\d+")) {
      return;
    }
    Optional<ProcessHandle> postmaster = ProcessHandle.of(Long.parseLong(lines.get(0).strip()))
        .filter(p -> p.info().command().map(c -> c.endsWith("postgres")).orElse(false));
    if (postmaster.isEmpty()) {
      return; // a stale pid file: PostgreSQL itself handles it at start
    }
    ProcessHandle orphan = postmaster.get();
    log.warn("an embedded PostgreSQL (pid {}) still runs on {} from a control plane that did not stop;"
        + " shutting it down before starting a new one", orphan.pid(), dataDirectory);
    orphan.destroy();
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (orphan.isAlive() && System.nanoTime() < deadline) {
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting for PostgreSQL " + orphan.pid() + " to stop", e);
      }
    }
    if (orphan.isAlive()) {
      throw new IOException("PostgreSQL " + orphan.pid() + " on " + dataDirectory + " did not stop within "
          + PATIENCE.toSeconds() + " s; stop it (kill " + orphan.pid() + ") and start again");
    }
  }
}
