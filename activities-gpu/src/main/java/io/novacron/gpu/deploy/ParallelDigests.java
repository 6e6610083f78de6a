package io.novacron.gpu.deploy;

import io.novacron.checkpoint.ParallelCalls;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
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
    AtomicLong total = new AtomicLong();
    List<Callable<String>> calls = new ArrayList<>();
    for (Path file : files) {
      calls.add(() -> {
        long[] last = {0};
        return FileDigests.sha256(file, done -> {
          long now = total.addAndGet(done - last[0]);
          last[0] = done;
          synchronized (progress) {
            progress.accept(now);
          }
        });
      });
    }
    return ParallelCalls.run(calls, threadsFor(files.size()), "digest");
  }
}
