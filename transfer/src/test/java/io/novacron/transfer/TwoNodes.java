package io.novacron.transfer;

import io.novacron.workflows.transfer.CloseReceiveRequest;
import io.novacron.workflows.transfer.ReceiveEndpoint;
import io.novacron.workflows.transfer.ReceiveOutcome;
import io.novacron.workflows.transfer.TransferOptions;
import io.novacron.workflows.transfer.TransferRequest;
import io.novacron.workflows.transfer.TransferResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;

/**
 * A sending node and a receiving node on loopback, each with its own data directory; plaintext, or
 * mutual TLS with the test certificates in src/test/resources/tls ({@link #overTls}).
 */
final class TwoNodes implements AutoCloseable {
  static final SenderSettings FAST_RETRY = SenderSettings.defaults()
      .withMaxAttempts(6).withFirstBackoff(Duration.ofMillis(20)).withProgressInterval(Duration.ofMillis(5));

  final Path sourceDir;
  final Path targetDir;
  final TransferNode source;
  TransferNode target;
  private final byte[] targetSecret = secret(2);
  private final TransferTls targetTls;
  private int targetPort;

  TwoNodes(Path tmp) throws IOException {
    this(tmp, null, null);
  }

  /** Nodes that send and receive with these TLS settings (null: plaintext). */
  TwoNodes(Path tmp, TransferTls sourceTls, TransferTls targetTls) throws IOException {
    this.sourceDir = Files.createDirectories(tmp.resolve("node-a"));
    this.targetDir = Files.createDirectories(tmp.resolve("node-b"));
    this.targetTls = targetTls;
    this.source = TransferNode.start(new TransferConfig(sourceDir, "127.0.0.1", 0, secret(1)).withTls(sourceTls),
        FAST_RETRY, Clock.systemUTC());
    this.target = TransferNode.start(new TransferConfig(targetDir, "127.0.0.1", 0, targetSecret).withTls(targetTls),
        FAST_RETRY, Clock.systemUTC());
    this.targetPort = target.port();
  }

  /** Both nodes with certificates from the same test CA: node-a sends, node-b receives. */
  static TwoNodes overTls(Path tmp) throws IOException {
    return new TwoNodes(tmp, tls("node-a"), tls("node-b"));
  }

  /** The test certificate {@code name} ("node-a", "other/node-x", ...) with its own directory's CA. */
  static TransferTls tls(String name) {
    Path dir = resource(name).getParent();
    String file = resource(name).getFileName().toString();
    return TransferTls.fromPem(dir.resolve(file + ".pem"), dir.resolve(file + ".key"), dir.resolve("ca.pem"));
  }

  /** A path under src/test/resources/tls (without extension: the name of a cert/key pair). */
  static Path resource(String name) {
    try {
      return Path.of(TwoNodes.class.getResource("/tls/ca.pem").toURI()).getParent().resolve(name);
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static TransferRequest request(String id, String sourcePath, String targetPath, TransferOptions options) {
    return new TransferRequest(id, sourcePath, "node-b", targetPath, options);
  }

  /** open, send, commit: the workflow's three steps. */
  TransferResult transfer(TransferRequest request) throws IOException, InterruptedException {
    ReceiveEndpoint endpoint = target.openReceive(request);
    TransferResult result = source.send(request, endpoint);
    ReceiveOutcome outcome = target.closeReceive(CloseReceiveRequest.commit(result));
    if (outcome.state() != ReceiveOutcome.State.COMMITTED) {
      throw new AssertionError("not committed: " + outcome);
    }
    return result;
  }

  /** Stops the receiving node as a crash would (files stay) and starts it again on the same port. */
  void restartTarget() throws IOException {
    target.close();
    target = TransferNode.start(new TransferConfig(targetDir, "127.0.0.1", targetPort, targetSecret).withTls(targetTls),
        FAST_RETRY, Clock.systemUTC());
  }

  static ReceiveEndpoint viaPort(ReceiveEndpoint e, int port) {
    return new ReceiveEndpoint(e.transferId(), e.host(), port, e.token(), e.expiresAtEpochMillis(), e.blockSize(),
        e.baseSize(), e.baseBlocks(), e.baseSignatureSha256(), e.acknowledgedBlocks());
  }

  static ReceiveEndpoint withToken(ReceiveEndpoint e, String token) {
    return new ReceiveEndpoint(e.transferId(), e.host(), e.port(), token, e.expiresAtEpochMillis(), e.blockSize(),
        e.baseSize(), e.baseBlocks(), e.baseSignatureSha256(), e.acknowledgedBlocks());
  }

  private static byte[] secret(int seed) {
    byte[] s = new byte[32];
    Arrays.fill(s, (byte) seed);
    return s;
  }

  @Override
  public void close() {
    source.close();
    target.close();
  }
}
