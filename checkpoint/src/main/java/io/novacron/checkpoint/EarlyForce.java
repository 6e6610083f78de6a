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
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Forces each rank file to disk on a background thread as soon as its last piece is written,
 * rather than all of them after the last tensor: with PP > 1 the early stages' files are complete
 * half way through, and their fsync then overlaps the writing of the rest. {@link #awaitAll} is
 * the barrier: when it returns every file is on disk.
 */
final class EarlyForce implements AutoCloseable {
  private final List<FileChannel> channels;
  private final AtomicInteger[] piecesLeft;
  private final ExecutorService thread;
  private final List<Future<?>> forces = new ArrayList<>();
  private final Set<Integer> submitted = ConcurrentHashMap.newKeySet();

  /**
   * @param channels the rank files, by rank
   * @param pieces how many pieces each rank file holds, by rank
   */
  EarlyForce(List<FileChannel> channels, int[] pieces) {
    if (channels.size() != pieces.length) {
      throw new IllegalArgumentException(channels.size() + " rank files but " + pieces.length + " piece counts");
    }
    this.channels = channels;
    this.piecesLeft = new AtomicInteger[pieces.length];
    this.thread = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "shard-force");
      t.setDaemon(true);
      return t;
    });
    for (int rank = 0; rank < pieces.length; rank++) {
      piecesLeft[rank] = new AtomicInteger(pieces[rank]);
    }
  }

  /** Records that one piece of {@code rank}'s file is fully written; the last one starts its force. */
  void pieceWritten(int rank) {
    int left = piecesLeft[rank].decrementAndGet();
    if (left < 0) {
      throw new IllegalStateException("rank " + rank + ": more pieces written than planned");
    }
    if (left == 0) {
      submit(rank);
    }
  }

  /**
   * Forces the files not yet started (those with no pieces, or all where a piece went unreported)
   * and waits until every file is on disk.
   */
  void awaitAll() throws IOException {
    for (int rank = 0; rank < piecesLeft.length; rank++) {
      submit(rank); // no-op for a file already started
    }
    List<Future<?>> all;
    synchronized (forces) {
      all = List.copyOf(forces);
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
  }

  private void submit(int rank) {
    if (!submitted.add(rank)) {
      return;
    }
    FileChannel channel = channels.get(rank);
    synchronized (forces) {
      forces.add(thread.submit(() -> {
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
