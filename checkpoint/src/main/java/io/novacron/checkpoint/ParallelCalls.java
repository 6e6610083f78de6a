package io.novacron.checkpoint;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs I/O calls side by side on daemon threads (the sharder's workers, a shard set's file
 * digests): results in the calls' order; the first failure comes back as itself (an
 * {@link IOException} or a {@link RuntimeException}, not wrapped) and the other calls are
 * interrupted. One call, or one thread, runs in the caller's thread.
 */
public final class ParallelCalls {
  private ParallelCalls() {}

  /**
   * @param threads at most this many calls at once
   * @param threadName name of the pool's threads, for thread dumps
   */
  public static <T> List<T> run(List<? extends Callable<T>> calls, int threads, String threadName)
      throws IOException {
    if (calls.size() <= 1 || threads <= 1) {
      List<T> results = new ArrayList<>();
      for (Callable<T> call : calls) {
        results.add(callHere(call));
      }
      return results;
    }
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, calls.size()), r -> {
      Thread thread = new Thread(r, threadName);
      thread.setDaemon(true);
      return thread;
    });
    try {
      List<Future<T>> futures = new ArrayList<>();
      for (Callable<T> call : calls) {
        futures.add(pool.submit(call));
      }
      List<T> results = new ArrayList<>();
      for (Future<T> future : futures) {
        results.add(future.get());
      }
      return results;
    } catch (ExecutionException e) {
      throw unwrap(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting for " + threadName + " threads");
    } finally {
      pool.shutdownNow();
    }
  }

  private static <T> T callHere(Callable<T> call) throws IOException {
    try {
      return call.call();
    } catch (Exception e) {
      throw unwrap(e);
    }
  }

  private static IOException unwrap(Throwable failure) {
    if (failure instanceof IOException io) {
      return io;
    }
    if (failure instanceof RuntimeException re) {
      throw re;
    }
    if (failure instanceof Error error) {
      throw error;
    }
    throw new IllegalStateException(failure);
  }
}
