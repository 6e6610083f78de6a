package io.novacron.gpu.deploy;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * SHA-256 of several files at once, one file per thread: a shard set is a handful of large rank
 * files, and one core hashes about 1-1.5 GB/s, so hashing them one after another kept a 400 GB
 * node's verification on one core for minutes (docs/bench/projection-405b.md).
 */
public final class ParallelDigests {
  /** Beyond this, the disk rather than the cores sets the pace. */
  static final int MAX_THREADS = 8;

  private ParallelDigests() {}

  /** Threads for {@code files} files on this machine. */
  public static int threadsFor(int files) {
    return Math.max(1, Math.min(files, Math.min(MAX_THREADS, Runtime.getRuntime().availableProcessors())));
  }

  /**
   * @param progress called (from the hashing threads, one call at a time) with the bytes hashed so
   *     far over all files
   * @return the hex digests, in the order of {@code files}
   */
  public static List<String> sha256(List<Path> files, LongConsumer progress) throws IOException {
    int threads = threadsFor(files.size());
    if (threads == 1) {
      List<String> digests = new ArrayList<>();
      long[] before = {0};
      for (Path file : files) {
        long base = before[0];
        digests.add(FileDigests.sha256(file, done -> {
          before[0] = base + done;
          progress.accept(before[0]);
        }));
      }
      return digests;
    }
    AtomicLong total = new AtomicLong();
    ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "digest");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<String>> futures = new ArrayList<>();
      for (Path file : files) {
        futures.add(pool.submit(() -> {
          long[] last = {0};
          return FileDigests.sha256(file, done -> {
            long now = total.addAndGet(done - last[0]);
            last[0] = done;
            synchronized (progress) {
              progress.accept(now);
            }
          });
        }));
      }
      List<String> digests = new ArrayList<>();
      for (Future<String> f : futures) {
        digests.add(f.get());
      }
      return digests;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while hashing");
    } finally {
      pool.shutdownNow();
    }
  }
}
