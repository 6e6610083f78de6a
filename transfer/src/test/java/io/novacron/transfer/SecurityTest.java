package io.novacron.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.novacron.transfer.DataSets.Shape;
import io.novacron.transfer.wire.Frame;
import io.novacron.transfer.wire.FrameReader;
import io.novacron.workflows.transfer.CloseReceiveRequest;
import io.novacron.workflows.transfer.ReceiveEndpoint;
import io.novacron.workflows.transfer.TransferOptions;
import io.novacron.workflows.transfer.TransferRequest;
import io.novacron.workflows.transfer.TransferResult;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecurityTest {
  static final long SIZE = 2L << 20;

  @TempDir
  Path tmp;
  TwoNodes nodes;
  Path source;

  @BeforeEach
  void start() throws Exception {
    nodes = new TwoNodes(tmp);
    source = nodes.sourceDir.resolve("secret.img");
    DataSets.write(source, Shape.RAM, SIZE, 9);
  }

  @AfterEach
  void stop() {
    nodes.close();
  }

  @Test
  void a_wrong_token_is_refused_without_retry_and_nothing_is_written() throws Exception {
    TransferRequest request = request("wrong-token", "secret.img", "landed.img");
    ReceiveEndpoint endpoint = nodes.target.openReceive(request);
    String forged = endpoint.token().charAt(0) == 'A' ? "B" + endpoint.token().substring(1) : "A" + endpoint.token().substring(1);

    assertThatThrownBy(() -> nodes.source.send(request, TwoNodes.withToken(endpoint, forged)))
        .isInstanceOfSatisfying(TransferException.class, e -> {
          assertThat(e.error()).isEqualTo(TransferError.BAD_TOKEN);
          assertThat(e.retryable()).isFalse();
        });
    assertThat(nodes.target.receiveStats("wrong-token").blocksWritten()).isZero();
    assertThat(nodes.targetDir.resolve("landed.img")).doesNotExist();
  }

  @Test
  void a_token_only_opens_its_own_transfer() throws Exception {
    ReceiveEndpoint first = nodes.target.openReceive(request("one", "secret.img", "one.img"));
    TransferRequest second = request("two", "secret.img", "two.img");
    ReceiveEndpoint secondEndpoint = nodes.target.openReceive(second);

    assertThatThrownBy(() -> nodes.source.send(second, TwoNodes.withToken(secondEndpoint, first.token())))
        .isInstanceOfSatisfying(TransferException.class, e -> assertThat(e.error()).isEqualTo(TransferError.BAD_TOKEN));
  }

  @Test
  void paths_that_leave_the_data_directory_are_refused() throws Exception {
    Path outside = Files.createDirectories(tmp.resolve("outside"));
    Files.createSymbolicLink(nodes.targetDir.resolve("escape"), outside);
    Files.createSymbolicLink(nodes.sourceDir.resolve("passwd-link"), Path.of("/etc/passwd"));

    for (String target : new String[] {"../escape.img", "a/../../escape.img", "escape/x.img", outside.resolve("y.img").toString(),
        ".transfers/secret"}) {
      assertThatThrownBy(() -> nodes.target.openReceive(request("bad-target", "secret.img", target)))
          .as(target)
          .isInstanceOfSatisfying(TransferException.class, e -> assertThat(e.error()).isIn(TransferError.PATH_REJECTED, TransferError.INVALID));
    }
    for (String src : new String[] {"../node-b/x", "passwd-link"}) {
      String id = "bad-source-" + src.length();
      ReceiveEndpoint endpoint = nodes.target.openReceive(request(id, "secret.img", id));
      assertThatThrownBy(() -> nodes.source.send(request(id, src, id), endpoint))
          .as(src)
          .isInstanceOfSatisfying(TransferException.class, e -> assertThat(e.error()).isIn(TransferError.PATH_REJECTED, TransferError.INVALID));
    }
    try (Stream<Path> files = Files.list(outside)) {
      assertThat(files).isEmpty();
    }
    Files.delete(nodes.sourceDir.resolve("passwd-link"));
  }

  @Test
  void a_replayed_connection_is_refused_and_writes_nothing() throws Exception {
    TransferRequest request = request("replay", "secret.img", "replay.img");
    ReceiveEndpoint endpoint = nodes.target.openReceive(request);
    ByteArrayOutputStream recorded = new ByteArrayOutputStream();
    TransferResult result;
    try (FaultyProxy recorder = new FaultyProxy(nodes.target.port(), (conn, offset, data, len) -> {
      if (conn == 0 && offset < 256 * 1024) {
        synchronized (recorded) {
          recorded.write(data, 0, len);
        }
      }
      return true;
    })) {
      result = nodes.source.send(request, TwoNodes.viaPort(endpoint, recorder.port()));
    }
    long written = nodes.target.receiveStats("replay").blocksWritten();

    Frame answer = replay(recorded.toByteArray());

    assertThat(answer).isInstanceOfSatisfying(Frame.Error.class,
        e -> assertThat(e.code()).isEqualTo(TransferError.BAD_TOKEN.code()));
    assertThat(nodes.target.receiveStats("replay").blocksWritten()).isEqualTo(written);

    nodes.target.closeReceive(CloseReceiveRequest.commit(result));
    assertThat(Files.mismatch(source, nodes.targetDir.resolve("replay.img"))).isEqualTo(-1L);
    // Once closed, the transfer and its token are gone for good.
    assertThat(replay(recorded.toByteArray())).isInstanceOfSatisfying(Frame.Error.class,
        e -> assertThat(e.code()).isEqualTo(TransferError.UNKNOWN_TRANSFER.code()));
    assertThatThrownBy(() -> nodes.source.send(request, endpoint))
        .isInstanceOfSatisfying(TransferException.class, e -> assertThat(e.error()).isEqualTo(TransferError.UNKNOWN_TRANSFER));
    assertThatThrownBy(() -> nodes.target.openReceive(request))
        .isInstanceOfSatisfying(TransferException.class, e -> assertThat(e.error()).isEqualTo(TransferError.INVALID));
  }

  @Test
  void a_commit_that_does_not_match_the_senders_hash_never_lands() throws Exception {
    Path target = nodes.targetDir.resolve("kept.img");
    Files.writeString(target, "the old copy");
    TransferRequest request = request("mismatch", "secret.img", "kept.img");
    ReceiveEndpoint endpoint = nodes.target.openReceive(request);
    TransferResult result = nodes.source.send(request, endpoint);

    assertThatThrownBy(() -> nodes.target.closeReceive(
        new CloseReceiveRequest("mismatch", true, "00".repeat(32), result.bytesRaw())))
        .isInstanceOfSatisfying(TransferException.class, e -> assertThat(e.error()).isEqualTo(TransferError.VERIFY_FAILED));
    assertThat(Files.readString(target)).isEqualTo("the old copy");

    nodes.target.closeReceive(CloseReceiveRequest.abort("mismatch"));
    assertThat(Files.readString(target)).isEqualTo("the old copy");
    try (Stream<Path> left = Files.list(nodes.targetDir)) {
      assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains("mismatch"));
    }
  }

  @Test
  void an_unauthenticated_peer_cannot_claim_big_frames() throws Exception {
    // A Hello that claims 50 MB: refused from its header, before anything is allocated or read.
    byte[] header = java.nio.ByteBuffer.allocate(5).put(io.novacron.transfer.wire.Wire.HELLO).putInt(50_000_000).array();
    assertThat(replay(header)).isInstanceOfSatisfying(Frame.Error.class,
        e -> assertThat(e.code()).isEqualTo(TransferError.PROTOCOL.code()));
  }

  /** Sends recorded sender bytes on a fresh connection; returns the receiver's last frame. */
  private Frame replay(byte[] bytes) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", nodes.target.port())) {
      Thread writer = new Thread(() -> {
        try {
          OutputStream out = socket.getOutputStream();
          out.write(bytes);
          out.flush();
        } catch (Exception e) {
          // the receiver hangs up once it has refused: expected
        }
      });
      writer.setDaemon(true);
      writer.start();
      FrameReader reader = new FrameReader(socket.getInputStream(), 1024);
      Frame last = null;
      Frame f;
      try {
        while ((f = reader.read()) != null) {
          last = f;
          if (f instanceof Frame.Error) {
            break;
          }
        }
      } catch (java.io.IOException e) {
        // connection reset after the error frame
      }
      return last;
    }
  }

  private static TransferRequest request(String id, String sourcePath, String targetPath) {
    return TwoNodes.request(id, sourcePath, targetPath, TransferOptions.defaults());
  }
}
