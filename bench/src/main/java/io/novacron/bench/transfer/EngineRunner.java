package io.novacron.bench.transfer;

import io.novacron.transfer.SenderSettings;
import io.novacron.transfer.TransferConfig;
import io.novacron.transfer.TransferNode;
import io.novacron.transfer.TransferTls;
import io.novacron.workflows.transfer.CloseReceiveRequest;
import io.novacron.workflows.transfer.ReceiveEndpoint;
import io.novacron.workflows.transfer.TransferOptions;
import io.novacron.workflows.transfer.TransferRequest;
import io.novacron.workflows.transfer.TransferResult;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs the engine between two nodes in this JVM over a {@link BenchLink}: the target node is built
 * on the link's receiving side (another network namespace on a veth link), the source here; in
 * plaintext, or over mutual TLS 1.3 with {@link #EngineRunner(Path, Path, BenchLink, TransferTls, TransferTls)}.
 */
final class EngineRunner implements AutoCloseable {
  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private final TransferNode source;
  private final TransferNode target;
  private final Path sourceDir;
  private final Path targetDir;
  private final BenchLink link;
  private final AtomicInteger ids = new AtomicInteger();
  /** Receivers refuse a transfer id they have closed before (replay): ids are unique per runner. */
  private final String idPrefix = "bench-" + Long.toString(System.currentTimeMillis(), 36) + "-";

  EngineRunner(Path sourceDir, Path targetDir, BenchLink link) throws Exception {
    this(sourceDir, targetDir, link, null, null);
  }

  /** Nodes whose streams run over mutual TLS with these node certificates (null: plaintext). */
  EngineRunner(Path sourceDir, Path targetDir, BenchLink link, TransferTls sourceTls, TransferTls targetTls)
      throws Exception {
    this.sourceDir = sourceDir;
    this.targetDir = targetDir;
    this.link = link;
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    this.source = TransferNode.start(new TransferConfig(sourceDir, "127.0.0.1", 0, secret).withTls(sourceTls),
        SenderSettings.defaults(), Clock.systemUTC());
    this.target = link.inReceiver(() -> TransferNode.start(
        new TransferConfig(targetDir, link.receiverHost(), 0, secret).withTls(targetTls),
        SenderSettings.defaults(), Clock.systemUTC()));
  }

  /**
   * One transfer of {@code file} (inside the source directory) to the same name on the target,
   * whose existing copy is {@code base} (copied in first; not timed) or nothing.
   */
  Measurement run(String profile, String dataSet, String method, Path file, Path base, TransferOptions options)
      throws Exception {
    String name = file.getFileName().toString();
    Path landed = targetDir.resolve(name);
    Files.deleteIfExists(landed);
    if (base != null) {
      Files.copy(base, landed, StandardCopyOption.REPLACE_EXISTING);
    }
    String id = idPrefix + ids.incrementAndGet();
    TransferRequest request = new TransferRequest(id, sourceDir.relativize(file).toString(), "target", name, options);
    try (BenchLink.Route route = link.route(target.port())) {
      long cpu0 = OS.getProcessCpuTime();
      long t0 = System.nanoTime();
      ReceiveEndpoint endpoint = target.openReceive(request);
      ReceiveEndpoint viaLink = new ReceiveEndpoint(endpoint.transferId(), route.host(), route.port(), endpoint.token(),
          endpoint.expiresAtEpochMillis(), endpoint.blockSize(), endpoint.baseSize(), endpoint.baseBlocks(),
          endpoint.baseSignatureSha256(), endpoint.acknowledgedBlocks());
      TransferResult result = source.send(request, viaLink);
      target.closeReceive(CloseReceiveRequest.commit(result));
      double wall = (System.nanoTime() - t0) / 1e9;
      long cpu = OS.getProcessCpuTime() - cpu0 - route.cpuNanos();
      boolean identical = Files.mismatch(file, landed) == -1L;
      String note = "sent " + result.blocksSent() + ", zero " + result.blocksZero() + ", delta-skipped "
          + result.blocksSkipped() + " of " + result.blocksTotal() + " blocks; payload " + result.wireBytesByCodec()
          + (result.attempts() > 1 ? "; attempts " + result.attempts() : "")
          + (route.connections() >= 0 ? "; " + route.connectionsNote() : "");
      return new Measurement(profile, dataSet, method, result.bytesRaw(), wall, route.wireBytes(), cpu / 1e9, identical, 1, note);
    } finally {
      Files.deleteIfExists(landed);
    }
  }

  @Override
  public void close() {
    source.close();
    target.close();
  }
}
