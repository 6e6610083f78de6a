package io.novacron.bench.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The benchmark's link proxy carries every byte and leaves no thread behind: a WAN run once left
 * 32,269 threads in the benchmark's JVM (delay writers never told to end, pumps of connections the
 * other side dropped) and exhausted the machine's process limit.
 */
class LinkProxyTest {

  @Test
  void carriesEveryByteAndEndsEveryThreadOfEveryConnection() throws Exception {
    long before = linkThreads();
    try (ServerSocket upstream = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        LinkProxy proxy = new LinkProxy("127.0.0.1", "127.0.0.1", upstream.getLocalPort(), 0, 2)) {
      ExecutorService echo = Executors.newCachedThreadPool();
      echo.submit(() -> {
        while (!upstream.isClosed()) {
          Socket s = upstream.accept();
          echo.submit(() -> {
            try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
              in.transferTo(out);
            }
            return null;
          });
        }
        return null;
      });
      List<Future<Integer>> clients = new ArrayList<>();
      ExecutorService pool = Executors.newFixedThreadPool(8);
      for (int c = 0; c < 20; c++) {
        int size = 1000 * (c + 1);
        clients.add(pool.submit(() -> {
          try (Socket s = new Socket("127.0.0.1", proxy.port())) {
            s.getOutputStream().write(new byte[size]);
            s.shutdownOutput();
            return s.getInputStream().readAllBytes().length;
          }
        }));
      }
      for (int c = 0; c < 20; c++) {
        assertThat(clients.get(c).get()).isEqualTo(1000 * (c + 1));
      }
      // Connections dropped mid-stream (the sender gave up, or a peer reset): nothing must wait
      // for them forever.
      for (int c = 0; c < 5; c++) {
        Socket s = new Socket("127.0.0.1", proxy.port());
        s.getOutputStream().write(new byte[100_000]);
        s.setSoLinger(true, 0);
        s.close();
      }
      pool.shutdownNow();
      echo.shutdownNow();
      assertThat(proxy.bytes()).isGreaterThanOrEqualTo(2L * 1000 * 20 * 21 / 2);
    }
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (linkThreads() > before && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(linkThreads()).as("link-* threads alive after the proxy closed").isEqualTo(before);
  }

  private static long linkThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().startsWith("link-")).count();
  }
}
