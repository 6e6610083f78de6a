package io.novacron.transfer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy in front of the receiver that lets a test corrupt, cut or record what the sender
 * sends. Connections are numbered from 0 in the order they arrive.
 */
final class FaultyProxy implements AutoCloseable {
  /** Sees every chunk going from the sender to the receiver. */
  interface Tap {
    /**
     * @param connection number of the connection
     * @param offset bytes of this connection before {@code data}
     * @return false to cut the connection instead of forwarding
     */
    boolean upstream(int connection, long offset, byte[] data, int length);
  }

  private final ServerSocket server = new ServerSocket();
  private final int targetPort;
  private final Tap tap;
  private final AtomicInteger connections = new AtomicInteger();
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();

  FaultyProxy(int targetPort, Tap tap) throws IOException {
    this.targetPort = targetPort;
    this.tap = tap;
    server.bind(new InetSocketAddress("127.0.0.1", 0));
    Thread t = new Thread(this::accept, "faulty-proxy");
    t.setDaemon(true);
    t.start();
  }

  int port() {
    return server.getLocalPort();
  }

  int connections() {
    return connections.get();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        Socket upstream = new Socket("127.0.0.1", targetPort);
        sockets.add(client);
        sockets.add(upstream);
        int n = connections.getAndIncrement();
        pump(client, upstream, n, true);
        pump(upstream, client, n, false);
      } catch (IOException e) {
        return;
      }
    }
  }

  private void pump(Socket from, Socket to, int connection, boolean up) {
    Thread t = new Thread(() -> {
      byte[] buf = new byte[16 * 1024];
      long offset = 0;
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        int n;
        while ((n = in.read(buf)) > 0) {
          if (up && !tap.upstream(connection, offset, buf, n)) {
            break;
          }
          out.write(buf, 0, n);
          offset += n;
        }
      } catch (IOException e) {
        // one side went away; close both below
      } finally {
        closeQuietly(from);
        closeQuietly(to);
      }
    }, "faulty-proxy-" + connection + (up ? "-up" : "-down"));
    t.setDaemon(true);
    t.start();
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // closing anyway
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    sockets.forEach(FaultyProxy::closeQuietly);
  }
}
