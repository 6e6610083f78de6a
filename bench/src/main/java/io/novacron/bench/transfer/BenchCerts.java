package io.novacron.bench.transfer;

import io.novacron.transfer.TransferTls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Node certificates for the TLS rows: made by the product's own deploy/temporal/scripts/make-certs.sh
 * (so the bench measures what a deployment runs: EC P-256 keys, TLS 1.3), or taken from a directory
 * that script wrote ({@code --certs=DIR} with node-bench-a and node-bench-b).
 *
 * @param sender the sending node's TLS
 * @param receiver the receiving node's TLS
 */
record BenchCerts(TransferTls sender, TransferTls receiver) {
  static final String SCRIPT = "deploy/temporal/scripts/make-certs.sh";

  /** From {@code dir}, made there first when it holds none; null (and why, on stderr) without openssl or the script. */
  static BenchCerts in(Path dir) throws IOException, InterruptedException {
    if (!Files.exists(dir.resolve("node-bench-b.pem"))) {
      Path script = findScript();
      if (script == null || !ToolRunner.available("openssl")) {
        System.err.println("transfer bench: no openssl or " + SCRIPT + " here: TLS rows are skipped");
        return null;
      }
      Process p = new ProcessBuilder("bash", script.toString(), dir.toString(), "--nodes=bench-a,bench-b")
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new IOException(script + " " + dir + " failed (exit " + (p.isAlive() ? "timeout" : p.exitValue()) + ")");
      }
    }
    Path ca = dir.resolve("ca.pem");
    return new BenchCerts(
        TransferTls.fromPem(dir.resolve("node-bench-a.pem"), dir.resolve("node-bench-a.key"), ca),
        TransferTls.fromPem(dir.resolve("node-bench-b.pem"), dir.resolve("node-bench-b.key"), ca));
  }

  /** The script in this directory or one above it (the bench runs from the repository or a module). */
  private static Path findScript() {
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      if (Files.isRegularFile(d.resolve(SCRIPT))) {
        return d.resolve(SCRIPT);
      }
    }
    return null;
  }
}
