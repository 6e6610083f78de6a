package io.novacron.bench.net;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Migration downtime as a client on the network sees it: ONE TCP connection to a guest's echo
 * service (the tiny guest runs one on port 7), a sequence-numbered line every 10 ms, and the
 * echoes timed. It never reconnects: a connection that breaks is reported, not hidden.
 *
 * <p>Stops on SIGTERM, when its standard input closes, or after {@code --duration-s}; then prints
 * one JSON line on stdout (see {@link EchoTimeline.Summary#toJson}): sent, echoed, lost, the longest
 * gap between consecutive echoes (the network-visible downtime), round-trip p50/p99/max, and
 * whether the same connection lasted the whole time. Progress goes to stderr. Exit status 0 when
 * the connection survived and every message came back, 1 otherwise, 2 for bad arguments (143 on
 * SIGTERM, as for any JVM).
 *
 * <p>Plain JDK, so that it runs from the bench module's classes alone, inside the lab's client
 * namespace (docs/lab.md):
 *
 * <pre>
 * nsenter --net=/run/netns/novacron-c java -cp bench/target/classes io.novacron.bench.net.NetProbe 10.77.0.123
 *   [port, 7] [--interval-ms=10] [--duration-s=N] [--connect-timeout-ms=5000] [--ignore-stdin]
 * </pre>
 */
public final class NetProbe {
  private final String host;
  private final int port;
  private final Duration interval;
  private final CountDownLatch stop = new CountDownLatch(1);
  private final AtomicReference<String> error = new AtomicReference<>();
  private final Object finishLock = new Object();
  private volatile boolean stopping;
  private Socket socket;
  private OutputStream out;
  private EchoTimeline timeline;
  private ScheduledExecutorService sender;
  private long seq;
  private String report;

  NetProbe(String host, int port, Duration interval) {
    this.host = host;
    this.port = port;
    this.interval = interval;
  }

  public static void main(String[] args) throws Exception {
    String host = null;
    int port = 7;
    long intervalMs = 10;
    long durationS = 0;
    int connectTimeoutMs = 5000;
    boolean watchStdin = true;
    int positional = 0;
    try {
      for (String arg : args) {
        if (arg.startsWith("--interval-ms=")) {
          intervalMs = Long.parseLong(arg.substring("--interval-ms=".length()));
        } else if (arg.startsWith("--duration-s=")) {
          durationS = Long.parseLong(arg.substring("--duration-s=".length()));
        } else if (arg.startsWith("--connect-timeout-ms=")) {
          connectTimeoutMs = Integer.parseInt(arg.substring("--connect-timeout-ms=".length()));
        } else if (arg.equals("--ignore-stdin")) {
          watchStdin = false;
        } else if (arg.startsWith("--")) {
          throw new IllegalArgumentException("unknown option " + arg);
        } else if (positional == 0) {
          host = arg;
          positional++;
        } else if (positional == 1) {
          port = Integer.parseInt(arg);
          positional++;
        } else {
          throw new IllegalArgumentException("unexpected argument " + arg);
        }
      }
      if (host == null || intervalMs <= 0) {
        throw new IllegalArgumentException("a host is required and the interval must be positive");
      }
    } catch (IllegalArgumentException e) {
      System.err.println("netprobe: " + e.getMessage());
      System.err.println("usage: NetProbe <host> [port, 7] [--interval-ms=10] [--duration-s=N]"
          + " [--connect-timeout-ms=5000] [--ignore-stdin]");
      System.exit(2);
      return;
    }

    NetProbe probe = new NetProbe(host, port, Duration.ofMillis(intervalMs));
    probe.connect(connectTimeoutMs);
    Runtime.getRuntime().addShutdownHook(new Thread(probe::finish, "netprobe-report"));
    if (watchStdin) {
      Thread stdin = new Thread(() -> {
        try {
          while (System.in.read() != -1) {
            // only its end matters
          }
        } catch (IOException ignored) {
          // a broken stdin is a closed one
        }
        probe.stop.countDown();
      }, "netprobe-stdin");
      stdin.setDaemon(true);
      stdin.start();
    }
    probe.start();
    if (durationS > 0) {
      probe.stop.await(durationS, TimeUnit.SECONDS);
    } else {
      probe.stop.await();
    }
    probe.finish();
    System.exit(probe.healthy() ? 0 : 1);
  }

  private void connect(int timeoutMs) throws IOException {
    socket = new Socket();
    socket.setTcpNoDelay(true);
    socket.connect(new InetSocketAddress(host, port), timeoutMs);
    out = socket.getOutputStream();
    System.err.printf("netprobe: connected %s -> %s, a message every %d ms%n",
        socket.getLocalSocketAddress(), socket.getRemoteSocketAddress(), interval.toMillis());
  }

  private void start() {
    timeline = new EchoTimeline(System.nanoTime());
    Thread reader = new Thread(this::readEchoes, "netprobe-reader");
    reader.setDaemon(true);
    reader.start();
    sender = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "netprobe-sender");
      t.setDaemon(true);
      return t;
    });
    sender.scheduleAtFixedRate(this::sendOne, 0, interval.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** One line: its sequence number and its send time, which the echo brings back. */
  private void sendOne() {
    if (stopping || error.get() != null) {
      return;
    }
    try {
      long n = ++seq;
      out.write((n + " " + System.nanoTime() + "\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      timeline.sent();
    } catch (IOException e) {
      fail("send: " + e);
    }
  }

  private void readEchoes() {
    long expected = 1;
    try (BufferedReader in = new BufferedReader(
        new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))) {
      String line;
      while ((line = in.readLine()) != null) {
        long now = System.nanoTime();
        int space = line.indexOf(' ');
        long n = space > 0 ? parse(line.substring(0, space)) : -1;
        long sentAt = space > 0 ? parse(line.substring(space + 1)) : -1;
        if (n != expected || sentAt < 0) {
          fail("echo " + expected + " expected, got \"" + line + "\"");
          return;
        }
        expected++;
        timeline.echoed(now, now - sentAt);
      }
      if (!stopping) {
        fail("the guest closed the connection");
      }
    } catch (IOException e) {
      if (!stopping) {
        fail("receive: " + e);
      }
    }
  }

  private static long parse(String s) {
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private void fail(String why) {
    if (error.compareAndSet(null, why)) {
      System.err.println("netprobe: " + why);
    }
  }

  private boolean healthy() {
    return error.get() == null && timeline != null && timeline.sentCount() == timeline.echoedCount();
  }

  /**
   * Stops sending, waits up to a second for the echoes in flight, prints the report. Once: from
   * main or from the shutdown hook (SIGTERM), whichever comes first.
   */
  void finish() {
    synchronized (finishLock) {
      if (report != null) {
        return;
      }
      stopping = true;
      long end = System.nanoTime();
      if (sender != null) {
        sender.shutdown();
        try {
          sender.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      String target = host + ":" + port;
      int localPort = socket == null ? -1 : socket.getLocalPort();
      if (timeline == null) {
        report = new EchoTimeline(end).summarize(end).toJson(target, localPort, false, "never started");
      } else {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        while (timeline.echoedCount() < timeline.sentCount() && error.get() == null
            && System.nanoTime() < deadline) {
          try {
            Thread.sleep(5);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            break;
          }
        }
        boolean same = error.get() == null && socket.isConnected() && !socket.isClosed();
        report = timeline.summarize(end).toJson(target, localPort, same, error.get());
      }
      try {
        if (socket != null) {
          socket.close();
        }
      } catch (IOException ignored) {
        // the report is what matters
      }
      System.out.println(report);
      System.out.flush();
    }
  }
}
