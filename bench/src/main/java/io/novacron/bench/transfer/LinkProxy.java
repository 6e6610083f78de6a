package io.novacron.bench.transfer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The benchmark's "link": a TCP proxy every method's traffic goes through, so that bytes on the
 * wire are counted the same way for the engine, netcat and rsync. It can shape the link: a rate
 * per direction (token bucket) and a one-way delay. It is a userspace stand-in for tc/netem
 * between network namespaces (which would also shape other people's loopback traffic on a shared
 * machine): no loss, no reordering, and its buffer is sized to the bandwidth-delay product.
 */
public final class LinkProxy implements AutoCloseable {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private final ServerSocket server = new ServerSocket();
  private final String upstreamHost;
  private final int upstreamPort;
  private final long bytesPerSec;
  private final long delayNanos;
  private final AtomicLong bytes = new AtomicLong();
  private final AtomicLong cpuNanos = new AtomicLong();
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  /** One bucket per direction for all connections: parallel streams share the link. */
  private final Bucket upBucket = new Bucket();
  private final Bucket downBucket = new Bucket();

  /**
   * @param bindHost the address the proxy listens on (an ephemeral port)
   * @param upstreamHost where the receiver listens
   * @param upstreamPort the receiver's port
   * @param bytesPerSec rate per direction; 0 for unshaped
   * @param oneWayDelayMillis added to every byte in each direction; 0 for none
   */
  public LinkProxy(String bindHost, String upstreamHost, int upstreamPort, long bytesPerSec, long oneWayDelayMillis)
      throws IOException {
    this.upstreamHost = upstreamHost;
    this.upstreamPort = upstreamPort;
    this.bytesPerSec = bytesPerSec;
    this.delayNanos = oneWayDelayMillis * 1_000_000;
    server.bind(new InetSocketAddress(bindHost, 0));
    start(this::accept, "link-accept");
  }

  public int port() {
    return server.getLocalPort();
  }

  /** Bytes carried, both directions. */
  public long bytes() {
    return bytes.get();
  }

  /** CPU the proxy's own threads used: the benchmark subtracts it from the engine's process. */
  public long cpuNanos() {
    return cpuNanos.get();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        Socket upstream = connectUpstream();
        client.setTcpNoDelay(true);
        upstream.setTcpNoDelay(true);
        sockets.add(client);
        sockets.add(upstream);
        Semaphore bothDone = new Semaphore(0);
        start(() -> pump(client, upstream, upBucket, bothDone), "link-up");
        start(() -> pump(upstream, client, downBucket, bothDone), "link-down");
      } catch (IOException e) {
        return;
      }
    }
  }

  /** The receiver may still be starting (netcat, rsync): retry for a while. */
  private Socket connectUpstream() throws IOException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (true) {
      try {
        return new Socket(upstreamHost, upstreamPort);
      } catch (ConnectException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        sleepNanos(20_000_000);
      }
    }
  }

  private void pump(Socket from, Socket to, Bucket bucket, Semaphore bothDone) {
    try {
      // Not try-with-resources: closing a socket's input stream closes the socket, and the other
      // direction may still be carrying data.
      InputStream in = from.getInputStream();
      Direction d = new Direction(to, bucket);
      byte[] buf = new byte[64 * 1024];
      int n;
      while ((n = in.read(buf)) > 0) {
        bytes.addAndGet(n);
        d.send(buf, n);
      }
      d.finish();
    } catch (IOException | InterruptedException e) {
      closeQuietly(from);
      closeQuietly(to);
    } finally {
      bothDone.release();
      if (bothDone.tryAcquire(2)) {
        closeQuietly(from);
        closeQuietly(to);
      }
    }
  }

  /** One direction: rate, then delay, then the socket. */
  private final class Direction {
    private final OutputStream out;
    private final Socket to;
    private final LinkedBlockingQueue<Object[]> queue = new LinkedBlockingQueue<>();
    private final Semaphore buffered;
    private final Thread writer;
    private final Bucket bucket;
    private volatile IOException failure;

    Direction(Socket to, Bucket bucket) throws IOException {
      this.to = to;
      this.bucket = bucket;
      this.out = to.getOutputStream();
      long bdp = bytesPerSec > 0 ? bytesPerSec * Math.max(delayNanos, 10_000_000L) / 1_000_000_000L : 4 << 20;
      this.buffered = new Semaphore((int) Math.min(Integer.MAX_VALUE, Math.max(2L << 20, 2 * bdp)));
      this.writer = delayNanos > 0 ? start(this::drain, "link-delay") : null;
    }

    void send(byte[] buf, int n) throws IOException, InterruptedException {
      sleepNanos(bucket.reserve(n));
      if (writer == null) {
        out.write(buf, 0, n);
        return;
      }
      if (failure != null) {
        throw failure;
      }
      buffered.acquire(n);
      queue.put(new Object[] {System.nanoTime() + delayNanos, java.util.Arrays.copyOf(buf, n)});
    }

    void finish() throws IOException, InterruptedException {
      if (writer != null) {
        queue.put(new Object[] {System.nanoTime() + delayNanos, null});
        writer.join();
        if (failure != null) {
          throw failure;
        }
      }
      to.shutdownOutput();
    }

    private void drain() {
      try {
        while (true) {
          Object[] item = queue.take();
          sleepNanos((long) item[0] - System.nanoTime());
          byte[] data = (byte[]) item[1];
          if (data == null) {
            return;
          }
          out.write(data);
          buffered.release(data.length);
        }
      } catch (IOException e) {
        failure = e;
        buffered.release(Integer.MAX_VALUE / 2);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** A token bucket with 5 ms of burst. */
  private final class Bucket {
    private long nextFree = System.nanoTime();

    /** Reserves {@code n} bytes; returns how long to wait before sending them. */
    synchronized long reserve(int n) {
      if (bytesPerSec <= 0) {
        return 0;
      }
      long now = System.nanoTime();
      nextFree = Math.max(nextFree, now - 5_000_000) + n * 1_000_000_000L / bytesPerSec;
      return nextFree - now;
    }
  }

  private Thread start(Runnable body, String name) {
    Thread t = new Thread(() -> {
      try {
        body.run();
      } finally {
        cpuNanos.addAndGet(THREADS.getCurrentThreadCpuTime());
      }
    }, name);
    t.setDaemon(true);
    t.start();
    return t;
  }

  private static void sleepNanos(long nanos) {
    if (nanos <= 0) {
      return;
    }
    try {
      Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // closing anyway
    }
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException e) {
      // the connections below are closed anyway
    }
    sockets.forEach(LinkProxy::closeQuietly);
  }
}
