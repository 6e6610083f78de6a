package io.novacron.workflows.migrate;

import java.time.Duration;

/**
 * The decisions of a live-migration monitor, as pure functions (after nova's
 * {@code virt/libvirt/migration.py}): how long a migration may take, when it has stalled, and what
 * to do about either. The host agent's monitor loop feeds it job statistics; nothing here touches
 * libvirt, so all of it is unit-tested.
 */
public final class MigrationPolicy {
  /** Nova's {@code live_migration_completion_timeout} default: 800 s per GiB to copy. */
  public static final int DEFAULT_SECONDS_PER_GIB = 800;
  /** Memory-copy iterations without progress that count as a stall. */
  public static final int DEFAULT_STALL_ITERATIONS = 10;
  /** Cold mode: seconds a guest gets to shut down on request before it is powered off. */
  public static final int DEFAULT_SHUTDOWN_SECONDS = 60;
  /** No migration, however small, gets less: the first stats arrive only after set-up. */
  public static final Duration MIN_COMPLETION_TIMEOUT = Duration.ofSeconds(30);

  private static final long GIB = 1024L * 1024 * 1024;

  private MigrationPolicy() {}

  /** What the monitor does after a sample. */
  public enum Decision {
    CONTINUE,
    ABORT,
    FORCE_COMPLETE
  }

  /**
   * The completion timeout: {@code secondsPerGiB} for every GiB (or part) of data to copy, at least
   * {@link #MIN_COMPLETION_TIMEOUT}.
   */
  public static Duration completionTimeout(long dataBytes, int secondsPerGiB) {
    double gib = Math.max(0, dataBytes) / (double) GIB;
    long seconds = (long) Math.ceil(gib * Math.max(1, secondsPerGiB));
    Duration timeout = Duration.ofSeconds(seconds);
    return timeout.compareTo(MIN_COMPLETION_TIMEOUT) < 0 ? MIN_COMPLETION_TIMEOUT : timeout;
  }

  /**
   * The decision after one sample.
   *
   * @param elapsed time since the migration started
   * @param timeout the completion timeout
   * @param stalled whether the stall detector has fired
   * @param forceRequested whether someone asked to force completion (the workflow's signal)
   * @param alreadyForced whether the guest has already been paused to force completion: forcing
   *     twice does nothing, and a forced migration that still runs past its timeout is aborted
   * @param onTimeout the configured action
   */
  public static Decision decide(
      Duration elapsed, Duration timeout, boolean stalled, boolean forceRequested,
      boolean alreadyForced, TimeoutAction onTimeout) {
    boolean overdue = elapsed.compareTo(timeout) > 0;
    if (alreadyForced) {
      // Paused and still not done after a second full timeout: give the guest back to the source.
      return elapsed.compareTo(timeout.multipliedBy(2)) > 0 ? Decision.ABORT : Decision.CONTINUE;
    }
    if (forceRequested) {
      return Decision.FORCE_COMPLETE;
    }
    if (overdue || stalled) {
      return onTimeout == TimeoutAction.FORCE_COMPLETE ? Decision.FORCE_COMPLETE : Decision.ABORT;
    }
    return Decision.CONTINUE;
  }

  /**
   * Counts memory-copy iterations since remaining data last reached a new low. A converging
   * migration makes a new low every few iterations; a guest that dirties memory faster than the
   * link copies it keeps iterating at the same level.
   */
  public static final class StallDetector {
    private final int limit;
    private long lowestRemaining = Long.MAX_VALUE;
    private long iterationAtLowest = -1;

    /** @param limit iterations without a new low that make a stall; 0 or less never stalls */
    public StallDetector(int limit) {
      this.limit = limit;
    }

    /** Feeds a sample; true once the migration has stalled. */
    public boolean observe(long iteration, long remainingBytes) {
      if (remainingBytes < lowestRemaining) {
        lowestRemaining = remainingBytes;
        iterationAtLowest = iteration;
        return false;
      }
      return limit > 0 && iterationAtLowest >= 0 && iteration - iterationAtLowest >= limit;
    }
  }
}
