package io.novacron.bench.transfer;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Map;
import java.util.TreeMap;

/**
 * Fails a benchmark row that leaves threads behind. Every row must clean up after itself: a WAN
 * run once ended with 32,269 threads in the benchmark's JVM and the machine out of processes.
 * Threads end asynchronously (pools shut down, sockets close), so the check waits a little for
 * the count to settle before it judges.
 */
final class ThreadLeakGuard {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  /** Pools the JVM or a library grows lazily (common pool, timers): not a leak per row. */
  static final int TOLERANCE = 8;

  private final int before = THREADS.getThreadCount();

  /** Throws when, after up to {@code settleMillis}, more than {@link #TOLERANCE} threads were added. */
  void check(String row, long settleMillis) throws InterruptedException {
    long deadline = System.nanoTime() + settleMillis * 1_000_000;
    while (THREADS.getThreadCount() - before > TOLERANCE && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    int grown = THREADS.getThreadCount() - before;
    if (grown > TOLERANCE) {
      throw new IllegalStateException(row + " left " + grown + " threads running: " + byName());
    }
  }

  /** Live threads by name with digits removed (pool-7-thread-3 and pool-9-thread-1 count together). */
  static Map<String, Integer> byName() {
    Map<String, Integer> counts = new TreeMap<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      counts.merge(t.getName().replaceAll("\\d+", "N"), 1, Integer::sum);
    }
    return counts;
  }
}
