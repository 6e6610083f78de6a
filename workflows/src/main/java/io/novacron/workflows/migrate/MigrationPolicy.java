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
  /** Nova's {@code live_migration_downtime_delay}: seconds between downtime steps per GiB. */
  public static final int DEFAULT_DOWNTIME_DELAY_SECONDS_PER_GIB = 75;
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
   * How long a migration's libvirt job may run before the workflow itself gives up on it: the
   * completion timeout of its data, twice, plus five minutes' slack. The control plane's
   * {@code novacron_migrations_over_timeout} gauge uses the same rule.
   */
  public static Duration jobPatience(long dataBytes, int secondsPerGiB) {
    return completionTimeout(dataBytes, secondsPerGiB).multipliedBy(2).plus(LiveMove.TRANSFER_SLACK);
  }

  /**
   * From {@code afterMs} into the job on, the switch-over may pause the guest {@code downtimeMs}.
   */
  public record DowntimeStep(long afterMs, long downtimeMs) {}

  /**
   * Nova's downtime steps ({@code downtime_steps} in nova's migration.py): the allowance starts at
   * {@code maxDowntimeMs / steps} and rises in {@code steps} equal increments to
   * {@code maxDowntimeMs}, one every {@code delaySecondsPerGiB} per GiB of data to copy. A guest
   * that converges at once pays the smallest pause; one that keeps dirtying memory is allowed more
   * as time passes instead of never converging. One step (or fewer) is {@code maxDowntimeMs} from
   * the start; {@code maxDowntimeMs <= 0} is no step at all (libvirt's default stays).
   */
  public static java.util.List<DowntimeStep> downtimeSteps(long maxDowntimeMs, int steps,
      int delaySecondsPerGiB, long dataBytes) {
    if (maxDowntimeMs <= 0) {
      return java.util.List.of();
    }
    if (steps <= 1) {
      return java.util.List.of(new DowntimeStep(0, maxDowntimeMs));
    }
    double gib = Math.max(0, dataBytes) / (double) GIB;
    long delayMs = Math.round(gib * Math.max(0, delaySecondsPerGiB) * 1000);
    double base = maxDowntimeMs / (double) steps;
    double increment = (maxDowntimeMs - base) / steps;
    java.util.List<DowntimeStep> out = new java.util.ArrayList<>();
    for (int i = 0; i <= steps; i++) {
      out.add(new DowntimeStep(delayMs * i, Math.max(1, Math.round(base + increment * i))));
    }
    return java.util.List.copyOf(out);
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
