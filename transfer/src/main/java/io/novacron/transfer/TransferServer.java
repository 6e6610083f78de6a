package io.novacron.transfer;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.SecureRandom;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's one listening port: accepts connections and runs each on its own thread. The number
 * of connections is bounded so that a flood of handshakes cannot exhaust threads. With
 * {@link TransferTls} the port speaks only TLS 1.3 and requires a client certificate; the TLS
 * handshake runs on the connection's thread, not the accepting one.
 */
final class TransferServer implements Closeable {
  private static final Logger log = LoggerFactory.getLogger(TransferServer.class);
  static final int MAX_CONNECTIONS = 256;

  private final ServerSocket server;
  private final TransferReceiver receiver;
  private final SecureRandom random = new SecureRandom();
  private final Semaphore slots = new Semaphore(MAX_CONNECTIONS);
  private final Set<ReceiveConnection> open = ConcurrentHashMap.newKeySet();
  private final Thread acceptor;
  private volatile boolean closed;

  /**
   * @param address where to listen; null for every interface
   * @param tls mutual TLS, or null for plaintext
   */
  TransferServer(InetAddress address, int port, TransferTls tls, TransferReceiver receiver) throws IOException {
    this.receiver = receiver;
    this.server = tls == null ? new ServerSocket() : tls.newServerSocket();
    server.setReuseAddress(true);
    server.bind(new InetSocketAddress(address, port), 128);
    this.acceptor = new Thread(this::acceptLoop, "transfer-accept-" + server.getLocalPort());
    acceptor.setDaemon(true);
  }

  void start() {
    acceptor.start();
  }

  int port() {
    return server.getLocalPort();
  }

  private void acceptLoop() {
    while (!closed) {
      Socket socket;
      try {
        socket = server.accept();
      } catch (IOException e) {
        if (!closed) {
          log.warn("transfer port {} stopped accepting: {}", port(), e.toString());
        }
        return;
      }
      if (!slots.tryAcquire()) {
        log.warn("refusing transfer connection from {}: {} open", socket.getRemoteSocketAddress(), MAX_CONNECTIONS);
        closeQuietly(socket);
        continue;
      }
      ReceiveConnection[] self = new ReceiveConnection[1];
      self[0] = new ReceiveConnection(socket, receiver, random, () -> {
        open.remove(self[0]);
        slots.release();
      });
      open.add(self[0]);
      Thread t = new Thread(self[0], "transfer-recv-" + socket.getPort());
      t.setDaemon(true);
      t.start();
    }
  }

  @Override
  public void close() {
    closed = true;
    closeQuietly(server);
    open.forEach(ReceiveConnection::abort);
    try {
      // The listening socket is released only once the accept call returns: wait, so that a
      // restarted node can bind the same port at once.
      acceptor.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void closeQuietly(Closeable c) {
    try {
      c.close();
    } catch (IOException e) {
      // shutting down anyway
    }
  }
}
