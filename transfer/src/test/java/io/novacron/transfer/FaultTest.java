package io.novacron.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import io.novacron.transfer.DataSets.Shape;
import io.novacron.workflows.transfer.CloseReceiveRequest;
import io.novacron.workflows.transfer.ReceiveEndpoint;
import io.novacron.workflows.transfer.TransferOptions;
import io.novacron.workflows.transfer.TransferRequest;
import io.novacron.workflows.transfer.TransferResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults on the wire, injected by a proxy after 12 MiB of the first connection. The receiver
 * forces and acknowledges every 8 MiB and journals what it verified when a stream fails, so at
 * least 8 MiB (128 blocks) are durable before the sender reconnects, whatever the timing.
 */
class FaultTest {
  static final long SIZE = 24L << 20;
  static final long FAULT_AT = 12L << 20;
  static final long DURABLE_BEFORE_FAULT_BLOCKS = (8L << 20) / TransferOptions.DEFAULT_BLOCK_SIZE;

  @TempDir
  Path tmp;
  TwoNodes nodes;
  Path source;

  @BeforeEach
  void start() throws Exception {
    nodes = new TwoNodes(tmp);
    source = nodes.sourceDir.resolve("data.bin");
    DataSets.write(source, Shape.RANDOM, SIZE, 11);
  }

  @AfterEach
  void stop() {
    nodes.close();
  }

  @Test
  void a_flipped_byte_is_caught_and_the_send_resumes_after_the_good_blocks() throws Exception {
    AtomicBoolean flipped = new AtomicBoolean();
    try (FaultyProxy proxy = new FaultyProxy(nodes.target.port(), (conn, offset, data, len) -> {
      if (conn == 0 && offset <= FAULT_AT && FAULT_AT < offset + len && !flipped.getAndSet(true)) {
        data[(int) (FAULT_AT - offset)] ^= 0x10;
      }
      return true;
    })) {
      TransferRequest request = request("flip");
      ReceiveEndpoint endpoint = TwoNodes.viaPort(nodes.target.openReceive(request), proxy.port());

      TransferResult result = nodes.source.send(request, endpoint);
      ReceiveStats stats = nodes.target.receiveStats("flip");
      nodes.target.closeReceive(CloseReceiveRequest.commit(result));

      assertThat(flipped).isTrue();
      assertThat(stats.corruptFrames()).isEqualTo(1);
      assertThat(result.attempts()).isEqualTo(2);
      assertThat(result.blocksResumed()).isGreaterThanOrEqualTo(DURABLE_BEFORE_FAULT_BLOCKS);
      assertThat(stats.duplicateBlocks()).isZero();
      assertThat(Files.mismatch(source, nodes.targetDir.resolve("data.bin"))).isEqualTo(-1L);
    }
  }

  @Test
  void a_cut_connection_is_retried_without_resending_acknowledged_blocks() throws Exception {
    try (FaultyProxy proxy = new FaultyProxy(nodes.target.port(), (conn, offset, data, len) -> {
      if (conn != 0 || offset + len < FAULT_AT) {
        return true;
      }
      // Socket buffers between proxy and receiver hold megabytes: cut only once the receiver has
      // worked through its first group commit, or the test would race it.
      awaitDurable("cut", DURABLE_BEFORE_FAULT_BLOCKS);
      return false;
    })) {
      TransferRequest request = request("cut");
      ReceiveEndpoint endpoint = TwoNodes.viaPort(nodes.target.openReceive(request), proxy.port());

      TransferResult result = nodes.source.send(request, endpoint);
      ReceiveStats stats = nodes.target.receiveStats("cut");
      nodes.target.closeReceive(CloseReceiveRequest.commit(result));

      assertThat(proxy.connections()).isEqualTo(2);
      assertThat(result.attempts()).isEqualTo(2);
      assertThat(result.blocksResumed()).isGreaterThanOrEqualTo(DURABLE_BEFORE_FAULT_BLOCKS);
      assertThat(stats.duplicateBlocks()).isZero();
      assertThat(Files.mismatch(source, nodes.targetDir.resolve("data.bin"))).isEqualTo(-1L);
    }
  }

  private void awaitDurable(String id, long blocks) {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (System.nanoTime() < deadline) {
      ReceiveStats stats = nodes.target.receiveStats(id);
      if (stats != null && stats.acknowledgedBlocks() >= blocks) {
        return;
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private static TransferRequest request(String id) {
    return TwoNodes.request(id, "data.bin", "data.bin", TransferOptions.defaults().withStreams(1).withCodec("none"));
  }
}
