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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The benchmark's "link": a TCP proxy every method's traffic goes through, so that bytes on the
 * wire are counted the same way for the engine, netcat and rsync. It can shape the link: a rate
 * per direction (token bucket) and a one-way delay. It is a userspace stand-in for tc/netem
 * between network namespaces (which would also shape other people's loopback traffic on a shared
 * machine): no loss, no reordering, and its buffer is sized to the bandwidth-delay product.
 *
 * <p>Every thread it starts ends with its connection or, at the latest, with {@link #close()}: a
 * WAN run once left 32,269 threads behind (the delay writers of connections that ended by an
 * error were never told to stop) and exhausted the machine's process limit.
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
  private final AtomicLong connections = new AtomicLong();
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
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

  /** Connections accepted so far. */
  public long connections() {
    return connections.get();
  }

  /** Threads of this proxy still running (the acceptor included until {@link #close()}). */
  public int liveThreads() {
    return threads.size();
  }

  /** CPU the proxy's own threads used: the benchmark subtracts it from the engine's process. */
  public long cpuNanos() {
    return cpuNanos.get();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        connections.incrementAndGet();
        sockets.add(client);
        Socket upstream;
        try {
          upstream = connectUpstream();
        } catch (IOException e) {
          closeQuietly(client);
          continue;
        }
        sockets.add(upstream);
        if (server.isClosed()) {
          // close() ran while this connection was being set up: it may have missed these sockets.
          closeQuietly(client);
          closeQuietly(upstream);
          return;
        }
        client.setTcpNoDelay(true);
        upstream.setTcpNoDelay(true);
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
    Direction d = null;
    try {
      // Not try-with-resources: closing a socket's input stream closes the socket, and the other
      // direction may still be carrying data.
      InputStream in = from.getInputStream();
      d = new Direction(to, bucket);
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
      if (d != null) {
        // After finish() the writer has ended; after an error it may wait for data forever.
        d.stopWriter();
      }
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

    void stopWriter() {
      if (writer != null) {
        writer.interrupt();
      }
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
        threads.remove(Thread.currentThread());
      }
    }, name);
    t.setDaemon(true);
    threads.add(t);
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

  private void closeQuietly(Socket s) {
    sockets.remove(s);
    try {
      s.close();
    } catch (IOException e) {
      // closing anyway
    }
  }

  /** Closes the listener and every connection, and waits (up to 5 s) for every thread to end. */
  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException e) {
      // the connections below are closed anyway
    }
    sockets.forEach(this::closeQuietly);
    threads.forEach(Thread::interrupt);
    long deadline = System.nanoTime() + 5_000_000_000L;
    for (Thread t : threads) {
      try {
        t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
