package io.novacron.transfer;

import io.novacron.transfer.wire.Frame;
import io.novacron.transfer.wire.FrameReader;
import io.novacron.transfer.wire.FrameWriter;
import io.novacron.workflows.transfer.ReceiveEndpoint;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLException;

/**
 * One of the sender's TCP connections to the receiver, through the handshakes: TLS when the node
 * has {@link TransferTls}, then the engine's hello, challenge and proof.
 */
final class StreamConnection implements Closeable {
  final int stream;
  final FrameWriter writer;
  final FrameReader reader;
  final byte[] challenge;
  /** Set once this side is done with the connection, so that the receiver closing it is expected. */
  volatile boolean finished;
  private final Socket socket;
  /** The TCP connection under {@link #socket}: the same socket in plaintext. */
  private final Socket tcp;

  private StreamConnection(int stream, Socket socket, Socket tcp, FrameWriter writer, FrameReader reader,
      byte[] challenge) {
    this.stream = stream;
    this.socket = socket;
    this.tcp = tcp;
    this.writer = writer;
    this.reader = reader;
    this.challenge = challenge;
  }

  /** Connects and says hello; the receiver answers with its challenge. */
  static StreamConnection open(ReceiveEndpoint endpoint, int stream, AtomicLong wireBytes, SenderSettings settings,
      TransferTls tls) throws IOException {
    Socket tcp = new Socket();
    Socket socket = tcp;
    try {
      tcp.setTcpNoDelay(true);
      tcp.setKeepAlive(true);
      InetSocketAddress peer = new InetSocketAddress(endpoint.host(), endpoint.port());
      tcp.connect(peer, (int) settings.connectTimeout().toMillis());
      tcp.setSoTimeout((int) settings.readTimeout().toMillis());
      if (tls != null) {
        socket = secure(tls, tcp, peer);
      }
      BufferedInputStream in = new BufferedInputStream(CountingStreams.in(socket.getInputStream(), wireBytes), 64 * 1024);
      FrameWriter writer = new FrameWriter(new BufferedOutputStream(
          CountingStreams.out(socket.getOutputStream(), wireBytes), 256 * 1024));
      FrameReader reader = new FrameReader(in, 1024);
      writer.hello(endpoint.transferId(), stream);
      writer.flush();
      if (tls == null && TlsRecords.startsWithTls(in)) {
        throw new TransferException(TransferError.TLS, "the receiver at " + peer + " speaks TLS and this node does"
            + " not: set " + TransferTlsSettings.CERT + ", " + TransferTlsSettings.KEY + " and "
            + TransferTlsSettings.CA + " on the sending node too");
      }
      Frame f = reader.read();
      if (f instanceof Frame.Error e) {
        throw new TransferException(TransferError.ofCode(e.code()), "receiver refused: " + e.message());
      }
      if (f == null) {
        throw new TransferException(TransferError.PROTOCOL, "the receiver at " + peer + " hung up before its"
            + " challenge" + (tls == null ? " (a receiver with TLS does that to a plaintext sender: then set "
            + TransferTlsSettings.CERT + ", " + TransferTlsSettings.KEY + " and " + TransferTlsSettings.CA
            + " on this node too)" : ""));
      }
      if (!(f instanceof Frame.Challenge c)) {
        throw new TransferException(TransferError.PROTOCOL, "receiver sent no challenge");
      }
      return new StreamConnection(stream, socket, tcp, writer, reader, c.nonce());
    } catch (IOException | RuntimeException e) {
      tcp.close();
      throw e;
    }
  }

  /** The TLS handshake over {@code connected}; a failure names the likely cause. */
  private static Socket secure(TransferTls tls, Socket connected, InetSocketAddress peer) throws IOException {
    try {
      return tls.handshake(connected, peer);
    } catch (SSLException e) {
      connected.close();
      throw new TransferException(TransferError.TLS, "TLS handshake with the receiver at " + peer + " failed ("
          + e.getMessage() + "): the receiver must run with TLS and a certificate from the CA in "
          + TransferTlsSettings.CA + ", and accept this node's", e);
    }
  }

  /** Sends the proof and reads the receiver's verdict. */
  Frame.Accept authenticate(Frame.Auth auth) throws IOException {
    writer.auth(auth);
    writer.flush();
    Frame f = reader.read();
    if (f instanceof Frame.Error e) {
      throw new TransferException(TransferError.ofCode(e.code()), "receiver refused: " + e.message());
    }
    if (!(f instanceof Frame.Accept a)) {
      throw new TransferException(TransferError.PROTOCOL, "receiver did not accept");
    }
    return a;
  }

  /**
   * Closes the connection: in order once this side finished, else (a failed attempt) at once. An
   * orderly TLS close waits for a write in progress, which a stalled receiver can hold for
   * minutes; closing the TCP socket under it ends that write now, as in plaintext.
   */
  @Override
  public void close() {
    boolean orderly = finished;
    finished = true;
    try {
      (orderly ? socket : tcp).close();
    } catch (IOException e) {
      // nothing left to do
    }
  }
}
