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

/** One of the sender's TCP connections to the receiver, through the handshake. */
final class StreamConnection implements Closeable {
  final int stream;
  final FrameWriter writer;
  final FrameReader reader;
  final byte[] challenge;
  /** Set once this side is done with the connection, so that the receiver closing it is expected. */
  volatile boolean finished;
  private final Socket socket;

  private StreamConnection(int stream, Socket socket, FrameWriter writer, FrameReader reader, byte[] challenge) {
    this.stream = stream;
    this.socket = socket;
    this.writer = writer;
    this.reader = reader;
    this.challenge = challenge;
  }

  /** Connects and says hello; the receiver answers with its challenge. */
  static StreamConnection open(ReceiveEndpoint endpoint, int stream, AtomicLong wireBytes, SenderSettings settings)
      throws IOException {
    Socket socket = new Socket();
    try {
      socket.setTcpNoDelay(true);
      socket.setKeepAlive(true);
      socket.connect(new InetSocketAddress(endpoint.host(), endpoint.port()), (int) settings.connectTimeout().toMillis());
      socket.setSoTimeout((int) settings.readTimeout().toMillis());
      FrameWriter writer = new FrameWriter(new BufferedOutputStream(
          CountingStreams.out(socket.getOutputStream(), wireBytes), 256 * 1024));
      FrameReader reader = new FrameReader(new BufferedInputStream(
          CountingStreams.in(socket.getInputStream(), wireBytes), 64 * 1024), 1024);
      writer.hello(endpoint.transferId(), stream);
      writer.flush();
      Frame f = reader.read();
      if (f instanceof Frame.Error e) {
        throw new TransferException(TransferError.ofCode(e.code()), "receiver refused: " + e.message());
      }
      if (!(f instanceof Frame.Challenge c)) {
        throw new TransferException(TransferError.PROTOCOL, "receiver sent no challenge");
      }
      return new StreamConnection(stream, socket, writer, reader, c.nonce());
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
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

  @Override
  public void close() {
    finished = true;
    try {
      socket.close();
    } catch (IOException e) {
      // nothing left to do
    }
  }
}
