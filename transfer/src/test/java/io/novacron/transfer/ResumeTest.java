package io.novacron.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.novacron.transfer.DataSets.Shape;
import io.novacron.workflows.transfer.CloseReceiveRequest;
import io.novacron.workflows.transfer.ReceiveEndpoint;
import io.novacron.workflows.transfer.TransferOptions;
import io.novacron.workflows.transfer.TransferRequest;
import io.novacron.workflows.transfer.TransferResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A proxy holds the first connection after 8.5 MiB, so the receiver has forced and acknowledged
 * the first 8 MiB (its group commit threshold) and then waits; the test crashes one side once the
 * sender has seen those acknowledgements.
 */
class ResumeTest {
  static final long SIZE = 24L << 20;
  static final long HOLD_AT = (8L << 20) + (512 << 10);
  static final long ACKED_BLOCKS = (8L << 20) / TransferOptions.DEFAULT_BLOCK_SIZE;

  @TempDir
  Path tmp;
  TwoNodes nodes;
  Path source;
  final CountDownLatch release = new CountDownLatch(1);

  @BeforeEach
  void start() throws Exception {
    nodes = newNodes(tmp);
    source = nodes.sourceDir.resolve("vm.mem");
    DataSets.write(source, Shape.RANDOM, SIZE, 5);
  }

  /** The nodes under test: plaintext here, TLS in the subclass that runs the same tests over it. */
  TwoNodes newNodes(Path tmp) throws IOException {
    return new TwoNodes(tmp);
  }

  @AfterEach
  void stop() {
    release.countDown();
    nodes.close();
  }

  @Test
  void a_restarted_sender_skips_every_block_the_receiver_acknowledged() throws Exception {
    TransferRequest request = request("sender-crash");
    ReceiveEndpoint endpoint = nodes.target.openReceive(request);
    try (FaultyProxy proxy = holdingProxy()) {
      assertThatThrownBy(() -> nodes.source.send(request, TwoNodes.viaPort(endpoint, proxy.port()), p -> {
        if (p.blocksAcknowledged() >= ACKED_BLOCKS) {
          throw new IllegalStateException("sender process dies");
        }
      }, null)).hasMessage("sender process dies");
    }

    // A new sender (a Temporal retry on a fresh agent) with the same endpoint.
    TransferResult result = nodes.source.send(request, endpoint);
    ReceiveStats stats = nodes.target.receiveStats("sender-crash");
    nodes.target.closeReceive(CloseReceiveRequest.commit(result));

    assertThat(result.blocksResumed()).isGreaterThanOrEqualTo(ACKED_BLOCKS);
    assertThat(result.blocksSent()).isEqualTo(result.blocksTotal() - result.blocksResumed());
    assertThat(stats.duplicateBlocks()).isZero();
    assertThat(Files.mismatch(source, nodes.targetDir.resolve("vm.mem"))).isEqualTo(-1L);
  }

  @Test
  void a_restarted_receiver_resumes_from_its_journal() throws Exception {
    TransferRequest request = request("receiver-crash");
    ReceiveEndpoint endpoint = nodes.target.openReceive(request);
    TransferResult result;
    try (FaultyProxy proxy = holdingProxy()) {
      boolean[] restarted = {false};
      result = nodes.source.send(request, TwoNodes.viaPort(endpoint, proxy.port()), p -> {
        if (!restarted[0] && p.blocksAcknowledged() >= ACKED_BLOCKS) {
          restarted[0] = true;
          try {
            nodes.restartTarget();
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
          release.countDown();
        }
      }, null);
      assertThat(restarted[0]).isTrue();
    }
    ReceiveStats afterRestart = nodes.target.receiveStats("receiver-crash");
    nodes.target.closeReceive(CloseReceiveRequest.commit(result));

    assertThat(result.attempts()).isGreaterThanOrEqualTo(2);
    assertThat(result.blocksResumed()).isGreaterThanOrEqualTo(ACKED_BLOCKS);
    // The restarted node wrote exactly the blocks its journal did not hold, none twice.
    assertThat(afterRestart.duplicateBlocks()).isZero();
    assertThat(afterRestart.blocksWritten()).isEqualTo(result.blocksTotal() - result.blocksResumed());
    assertThat(Files.mismatch(source, nodes.targetDir.resolve("vm.mem"))).isEqualTo(-1L);
  }

  /** Forwards the first connection up to {@link #HOLD_AT}, then holds it until released, then cuts it. */
  private FaultyProxy holdingProxy() throws Exception {
    return new FaultyProxy(nodes.target.port(), (conn, offset, data, len) -> {
      if (conn == 0 && offset + len >= HOLD_AT) {
        try {
          release.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return false;
      }
      return true;
    });
  }

  private static TransferRequest request(String id) {
    return TwoNodes.request(id, "vm.mem", "vm.mem", TransferOptions.defaults().withStreams(1).withCodec("none"));
  }
}
