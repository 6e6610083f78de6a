package io.novacron.bench.transfer;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * The link between the benchmark's sending and receiving side. Every method's receiver is built
 * or started through it, and every run goes over one {@link Route} that counts the bytes the way
 * the link sees them, so the engine, netcat and rsync are measured alike.
 */
interface BenchLink extends AutoCloseable {
  /** How the link is made and shaped, for the report. */
  String description();

  /** The address receivers listen on and senders connect to. */
  String receiverHost();

  /** The command line that runs {@code shell} on the receiving side. */
  List<String> atReceiver(List<String> command);

  /** Runs {@code work} on the receiving side of this JVM (to build a listening receiver there). */
  <T> T inReceiver(Callable<T> work) throws Exception;

  /** The path of one run toward a receiver listening on {@code receiverPort}. */
  Route route(int receiverPort) throws Exception;

  @Override
  void close() throws IOException, InterruptedException;

  /** One run's path: where the sender connects, and what crossed it. */
  interface Route extends AutoCloseable {
    String host();

    int port();

    /** Bytes that crossed the link in both directions since the route was opened. */
    long wireBytes() throws IOException;

    /** TCP connections the run made over the link; -1 where the link cannot count them. */
    default long connections() {
      return -1;
    }

    /** "N connections" for a report's note, empty where they are not counted. */
    default String connectionsNote() {
      long n = connections();
      return n < 0 ? "" : n + (n == 1 ? " connection" : " connections");
    }

    /** CPU this JVM spent carrying the traffic (a userspace proxy); subtracted from the engine's. */
    long cpuNanos();

    @Override
    void close();
  }
}
