package io.novacron.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.novacron.transfer.DataSets.Shape;
import io.novacron.workflows.transfer.CloseReceiveRequest;
import io.novacron.workflows.transfer.ReceiveEndpoint;
import io.novacron.workflows.transfer.TransferOptions;
import io.novacron.workflows.transfer.TransferRequest;
import io.novacron.workflows.transfer.TransferResult;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The transfer engine's streams over mutual TLS 1.3, and the peers it refuses. */
class TlsTransferTest {
  static final long SIZE = (4L << 20) + 4097;

  @TempDir
  Path tmp;
  TwoNodes nodes;

  @AfterEach
  void stop() {
    if (nodes != null) {
      nodes.close();
    }
  }

  @Test
  void every_shape_round_trips_over_tls_with_several_streams() throws Exception {
    nodes = TwoNodes.overTls(tmp);
    for (Shape shape : new Shape[] {Shape.RANDOM, Shape.RAM, Shape.TEXT, Shape.ZEROS}) {
      String name = shape.name().toLowerCase();
      Path source = nodes.sourceDir.resolve(name + ".img");
      DataSets.write(source, shape, SIZE, 17);

      TransferResult result = nodes.transfer(TwoNodes.request("tls-" + name, name + ".img", name + ".img",
          TransferOptions.defaults().withStreams(3).withCodec("auto")));

      assertThat(Files.mismatch(source, nodes.targetDir.resolve(name + ".img"))).isEqualTo(-1L);
      assertThat(result.sha256()).isEqualTo(RoundTripTest.sha256(source));
      assertThat(result.attempts()).isEqualTo(1);
    }
  }

  @Test
  void the_receiver_port_speaks_tls_1_3_and_nothing_older() throws Exception {
    nodes = TwoNodes.overTls(tmp);
    TransferTls client = TwoNodes.tls("node-a");
    try (Socket plain = new Socket("127.0.0.1", nodes.target.port())) {
      SSLSocket tls = client.handshake(plain, new java.net.InetSocketAddress("127.0.0.1", nodes.target.port()));
      assertThat(tls.getSession().getProtocol()).isEqualTo("TLSv1.3");
      assertThat(tls.getSession().getPeerPrincipal().getName()).contains("novacron-node-b");
    }
    javax.net.ssl.SSLContext tls12 = javax.net.ssl.SSLContext.getInstance("TLSv1.2");
    tls12.init(null, null, null);
    try (SSLSocket old = (SSLSocket) tls12.getSocketFactory().createSocket("127.0.0.1", nodes.target.port())) {
      old.setEnabledProtocols(new String[] {"TLSv1.2"});
      assertThatThrownBy(old::startHandshake).isInstanceOf(javax.net.ssl.SSLException.class);
    }
  }

  @Test
  void a_sender_with_a_certificate_from_another_ca_is_refused_without_retry() throws Exception {
    nodes = new TwoNodes(tmp, TwoNodes.tls("other/node-x"), TwoNodes.tls("node-b"));
    TransferRequest request = request("other-ca");
    ReceiveEndpoint endpoint = nodes.target.openReceive(request);

    assertThatThrownBy(() -> nodes.source.send(request, endpoint))
        .isInstanceOfSatisfying(TransferException.class, e -> {
          assertThat(e.error()).isEqualTo(TransferError.TLS);
          assertThat(e.retryable()).isFalse();
          assertThat(e.getMessage()).contains("TLS handshake with the receiver").contains("NOVACRON_TRANSFER_TLS_CA");
        });
    assertThat(nodes.target.receiveStats("other-ca").blocksWritten()).isZero();
  }

  @Test
  void a_receiver_with_a_certificate_from_another_ca_is_refused_before_a_byte_of_data() throws Exception {
    nodes = new TwoNodes(tmp, TwoNodes.tls("node-a"), TwoNodes.tls("other/node-x"));
    TransferRequest request = request("rogue-receiver");
    ReceiveEndpoint endpoint = nodes.target.openReceive(request);

    assertThatThrownBy(() -> nodes.source.send(request, endpoint))
        .isInstanceOfSatisfying(TransferException.class, e -> {
          assertThat(e.error()).isEqualTo(TransferError.TLS);
          assertThat(e.getMessage()).containsIgnoringCase("certificate");
        });
    assertThat(nodes.target.receiveStats("rogue-receiver").blocksWritten()).isZero();
  }

  @Test
  void a_plaintext_sender_is_refused_by_a_tls_receiver() throws Exception {
    nodes = new TwoNodes(tmp, null, TwoNodes.tls("node-b"));
    TransferRequest request = request("plain-to-tls");
    ReceiveEndpoint endpoint = nodes.target.openReceive(request);

    assertThatThrownBy(() -> nodes.source.send(request, endpoint))
        .isInstanceOfSatisfying(TransferException.class, e -> {
          assertThat(e.error()).isIn(TransferError.TLS, TransferError.PROTOCOL);
          assertThat(e.getMessage()).contains("NOVACRON_TRANSFER_TLS_CERT");
        });
    assertThat(nodes.target.receiveStats("plain-to-tls").blocksWritten()).isZero();
  }

  @Test
  void a_raw_plaintext_client_gets_no_engine_frame_from_a_tls_receiver() throws Exception {
    nodes = new TwoNodes(tmp, null, TwoNodes.tls("node-b"));
    java.io.ByteArrayOutputStream hello = new java.io.ByteArrayOutputStream();
    new io.novacron.transfer.wire.FrameWriter(hello).hello("probe", 0);
    try (Socket s = new Socket("127.0.0.1", nodes.target.port())) {
      s.setSoTimeout(10_000);
      int first;
      try {
        OutputStream out = s.getOutputStream();
        out.write(hello.toByteArray());
        out.flush();
        InputStream in = s.getInputStream();
        first = in.read();
      } catch (java.net.SocketException hangUp) {
        // The receiver closes on the first bytes that are not TLS, so the rest of a write can meet a
        // closed socket (broken pipe) and a read the reset of bytes it left unread: a hang-up too.
        first = -1;
      }
      // Either a TLS alert record or a hang-up: never the receiver's challenge.
      assertThat(first == -1 || TlsRecords.isTlsRecordType(first)).as("first byte %s", first).isTrue();
    }
  }

  @Test
  void a_tls_sender_is_refused_by_a_plaintext_receiver() throws Exception {
    nodes = new TwoNodes(tmp, TwoNodes.tls("node-a"), null);
    TransferRequest request = request("tls-to-plain");
    ReceiveEndpoint endpoint = nodes.target.openReceive(request);

    assertThatThrownBy(() -> nodes.source.send(request, endpoint))
        .isInstanceOfSatisfying(TransferException.class, e -> {
          assertThat(e.error()).isEqualTo(TransferError.TLS);
          assertThat(e.retryable()).isFalse();
        });
    assertThat(nodes.target.receiveStats("tls-to-plain").blocksWritten()).isZero();
  }

  @Test
  void a_flipped_byte_inside_tls_drops_the_stream_and_the_send_resumes() throws Exception {
    nodes = TwoNodes.overTls(tmp);
    Path source = nodes.sourceDir.resolve("data.bin");
    long size = 24L << 20;
    long faultAt = 12L << 20;
    DataSets.write(source, Shape.RANDOM, size, 11);
    AtomicBoolean flipped = new AtomicBoolean();
    try (FaultyProxy proxy = new FaultyProxy(nodes.target.port(), (conn, offset, data, len) -> {
      if (conn == 0 && offset <= faultAt && faultAt < offset + len && !flipped.getAndSet(true)) {
        data[(int) (faultAt - offset)] ^= 0x10;
      }
      return true;
    })) {
      TransferRequest request = TwoNodes.request("tls-flip", "data.bin", "data.bin",
          TransferOptions.defaults().withStreams(1).withCodec("none"));
      ReceiveEndpoint endpoint = TwoNodes.viaPort(nodes.target.openReceive(request), proxy.port());

      TransferResult result = nodes.source.send(request, endpoint);
      nodes.target.closeReceive(CloseReceiveRequest.commit(result));

      // TLS rejects the record before the engine's frame check sees it: the stream drops, resumes.
      assertThat(flipped).isTrue();
      assertThat(result.attempts()).isEqualTo(2);
      assertThat(result.blocksResumed()).isPositive();
      assertThat(Files.mismatch(source, nodes.targetDir.resolve("data.bin"))).isEqualTo(-1L);
    }
  }

  private TransferRequest request(String id) throws Exception {
    Path source = nodes.sourceDir.resolve(id + ".img");
    DataSets.write(source, Shape.RANDOM, 1L << 20, 3);
    return TwoNodes.request(id, id + ".img", id + ".img", TransferOptions.defaults());
  }
}
