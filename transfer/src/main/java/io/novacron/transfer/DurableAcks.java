package io.novacron.transfer;

import io.novacron.transfer.wire.BlockRange;
import io.novacron.transfer.wire.FrameWriter;
import java.io.IOException;
import java.util.List;

/**
 * Group commit of one receiving connection, on a thread of its own: forces the partial file,
 * journals the blocks written since the last round and acknowledges them, every
 * {@value #SYNC_BYTES} bytes written, every {@value #SYNC_COVERED_BYTES} bytes of the file
 * covered (zero runs and holes included), every 250 ms, or when asked (see {@link #due}).
 *
 * <p>Why the covered bytes count: each round also moves the receiver's {@link PrefixHash} on. A
 * mostly-zero disk image writes almost nothing, so rounds came only every 250 ms and the commit
 * was left to hash the last hundred MiB or so of zeros while the sender waited (issue 17). A round
 * that wrote little costs little to force.
 *
 * <p>Why a thread: forcing the file inline stopped the frame loop for as long as the disk took
 * to write 8 MiB; the socket's receive buffer filled, the sender stalled, and on a 1 Gbit/s link
 * random data arrived at 0.67-0.78x the rate of {@code nc} (issue 17). Now the loop keeps reading
 * while the previous round syncs. It may get at most {@value #MAX_UNSYNCED_BYTES} bytes ahead of
 * the disk, so a slow disk still pushes back on the sender.
 *
 * <p>The ordering that resume relies on is unchanged: a block is acknowledged only after the
 * force that follows its write. A failed round is kept and thrown by the next {@link #add},
 * {@link #check} or {@link #drain} of the frame loop. Writes to the connection's {@link FrameWriter}
 * from the frame loop must synchronize on it, as this thread's acks do.
 */
final class DurableAcks implements AutoCloseable {
  static final long SYNC_BYTES = 8L << 20;
  static final long SYNC_COVERED_BYTES = 32L << 20;
  static final long SYNC_NANOS = 250_000_000L;
  static final long MAX_UNSYNCED_BYTES = 4 * SYNC_BYTES;

  private final ReceiveSession session;
  private final long generation;
  private final FrameWriter out;
  private final Thread thread;
  // All guarded by this.
  private final RangeList pending = new RangeList();
  private long pendingBytes;
  private long pendingCovered;
  private boolean ackEvenIfEmpty;
  private boolean syncing;
  private IOException failure;
  private boolean closed;
  private long lastSync = System.nanoTime();

  DurableAcks(ReceiveSession session, long generation, FrameWriter out, String name) {
    this.session = session;
    this.generation = generation;
    this.out = out;
    this.thread = new Thread(this::loop, name);
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * Blocks {@code [start, start+count)} are written: make them durable soon.
   *
   * @param bytes the bytes actually written for them (what the force has to put on disk)
   * @param covered the bytes of the file they span
   */
  synchronized void add(long start, int count, long bytes, long covered) throws IOException, InterruptedException {
    while (pendingBytes >= MAX_UNSYNCED_BYTES && failure == null && !closed) {
      wait();
    }
    check();
    pending.add(start, count);
    pendingBytes += bytes;
    pendingCovered += covered;
    if (pendingBytes >= SYNC_BYTES || pendingCovered >= SYNC_COVERED_BYTES) {
      notifyAll();
    }
  }

  /** The sender asked (Flush): sync and acknowledge now, with an empty ack if nothing is pending. */
  synchronized void flush() throws IOException {
    check();
    ackEvenIfEmpty = true;
    notifyAll();
  }

  /** Waits until every block added so far is durable and acknowledged. */
  synchronized void drain() throws IOException, InterruptedException {
    ackEvenIfEmpty |= !pending.isEmpty();
    notifyAll();
    while ((syncing || !pending.isEmpty() || ackEvenIfEmpty) && failure == null && !closed) {
      wait();
    }
    check();
  }

  /** Throws what a background round failed with, if one did. */
  synchronized void check() throws IOException {
    if (failure != null) {
      throw failure;
    }
  }

  private void loop() {
    try {
      while (true) {
        List<BlockRange> ranges;
        synchronized (this) {
          while (!closed && !due(ackEvenIfEmpty, pending.isEmpty(), pendingBytes, pendingCovered,
              System.nanoTime() - lastSync)) {
            // Nothing pending: sleep until an add or a flush says otherwise (or a period passes).
            long left = pending.isEmpty() ? SYNC_NANOS : SYNC_NANOS - (System.nanoTime() - lastSync);
            wait(Math.max(1, left / 1_000_000));
          }
          if (closed) {
            return;
          }
          ranges = pending.drain();
          pendingBytes = 0;
          pendingCovered = 0;
          ackEvenIfEmpty = false;
          syncing = true;
          lastSync = System.nanoTime();
          notifyAll();
        }
        IOException failed = null;
        try {
          session.makeDurable(generation, ranges);
          synchronized (out) {
            out.ack(ranges);
          }
          // Idle until the next round anyway: hash what is now acknowledged, so the commit need not.
          session.hashAhead();
        } catch (IOException e) {
          failed = e;
        } catch (RuntimeException e) {
          failed = new IOException(e);
        }
        synchronized (this) {
          syncing = false;
          if (failed != null && failure == null) {
            failure = failed;
          }
          notifyAll();
          if (failure != null) {
            return;
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Whether a round is due: asked for, enough bytes written to be worth a force, enough of the file
   * covered to move the hash on, or pending blocks waiting a whole period. Pure, for tests.
   */
  static boolean due(boolean asked, boolean nothingPending, long pendingBytes, long pendingCovered,
      long nanosSinceLastRound) {
    return asked || pendingBytes >= SYNC_BYTES || pendingCovered >= SYNC_COVERED_BYTES
        || (!nothingPending && nanosSinceLastRound >= SYNC_NANOS);
  }

  /** Stops the thread after the round in progress; blocks not yet synced stay unacknowledged. */
  @Override
  public void close() throws InterruptedException {
    synchronized (this) {
      closed = true;
      notifyAll();
    }
    thread.join();
  }
}
