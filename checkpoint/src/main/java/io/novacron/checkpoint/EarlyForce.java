package io.novacron.checkpoint;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Forces the rank files to disk on a background thread while they are being written, rather than
 * all of them after the last tensor: fsync of 1.5 GB takes as long as copying it (docs/bench/shard.md),
 * and it waits on the disk, not on the cores that hash. Every {@code forceEveryBytes} written to a
 * file starts a force of what it holds so far, and its last piece starts the final one, so at the
 * end only the last few megabytes of each file are left to flush. {@link #awaitAll} is the barrier:
 * when it returns every file is on disk.
 */
final class EarlyForce implements AutoCloseable {
  private final List<FileChannel> channels;
  private final long forceEveryBytes;
  private final AtomicInteger[] piecesLeft;
  private final AtomicLong[] unforced;
  private final AtomicBoolean[] forcing;
  private final ExecutorService thread;
  private final List<Future<?>> finalForces = new ArrayList<>();
  private final Set<Integer> finished = ConcurrentHashMap.newKeySet();
  private final AtomicReference<IOException> earlyFailure = new AtomicReference<>();

  /**
   * @param channels the rank files, by rank
   * @param pieces how many pieces each rank file holds, by rank
   * @param forceEveryBytes bytes written to one file after which a force of it starts
   */
  EarlyForce(List<FileChannel> channels, int[] pieces, long forceEveryBytes) {
    if (channels.size() != pieces.length) {
      throw new IllegalArgumentException(channels.size() + " rank files but " + pieces.length + " piece counts");
    }
    if (forceEveryBytes <= 0) {
      throw new IllegalArgumentException("forceEveryBytes must be positive, was " + forceEveryBytes);
    }
    this.channels = channels;
    this.forceEveryBytes = forceEveryBytes;
    this.piecesLeft = new AtomicInteger[pieces.length];
    this.unforced = new AtomicLong[pieces.length];
    this.forcing = new AtomicBoolean[pieces.length];
    for (int rank = 0; rank < pieces.length; rank++) {
      piecesLeft[rank] = new AtomicInteger(pieces[rank]);
      unforced[rank] = new AtomicLong();
      forcing[rank] = new AtomicBoolean();
    }
    this.thread = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "shard-force");
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Records that one piece of {@code rank}'s file, {@code bytes} long, is fully written: the last
   * one starts the file's final force, and every {@code forceEveryBytes} an intermediate one.
   */
  void pieceWritten(int rank, long bytes) {
    int left = piecesLeft[rank].decrementAndGet();
    if (left < 0) {
      throw new IllegalStateException("rank " + rank + ": more pieces written than planned");
    }
    if (left == 0) {
      finish(rank);
    } else if (unforced[rank].addAndGet(bytes) >= forceEveryBytes && forcing[rank].compareAndSet(false, true)) {
      // One intermediate force per file at a time: a queue of them would only repeat each other.
      unforced[rank].set(0);
      FileChannel channel = channels.get(rank);
      thread.execute(() -> {
        try {
          channel.force(false);
        } catch (IOException e) {
          earlyFailure.compareAndSet(null, e);
        } finally {
          forcing[rank].set(false);
        }
      });
    }
  }

  /**
   * Starts the final force of the files not yet finished (those with no pieces, or where a piece
   * went unreported) and waits until every file is on disk.
   */
  void awaitAll() throws IOException {
    for (int rank = 0; rank < piecesLeft.length; rank++) {
      finish(rank); // no-op for a file already finished
    }
    List<Future<?>> all;
    synchronized (finalForces) {
      all = List.copyOf(finalForces);
    }
    try {
      for (Future<?> force : all) {
        force.get();
      }
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      throw new IllegalStateException("forcing a rank file failed", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while forcing the rank files to disk");
    }
    IOException early = earlyFailure.get();
    if (early != null) {
      throw early;
    }
  }

  /** Queues {@code rank}'s final force; the queue runs in order, so it comes after any earlier one. */
  private void finish(int rank) {
    if (!finished.add(rank)) {
      return;
    }
    FileChannel channel = channels.get(rank);
    synchronized (finalForces) {
      finalForces.add(thread.submit(() -> {
        channel.force(false);
        return null;
      }));
    }
  }

  /** Stops the background thread; forces still queued after a failure are dropped. */
  @Override
  public void close() {
    thread.shutdownNow();
  }
}
