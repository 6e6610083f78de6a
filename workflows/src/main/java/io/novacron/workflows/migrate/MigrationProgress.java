package io.novacron.workflows.migrate;

/**
 * One sample of a running migration, sent as the monitor's heartbeat details (visible in the
 * Temporal UI / {@code temporal workflow describe} under pending activities).
 *
 * @param elapsedMs time since the transfer started
 * @param processedBytes bytes processed so far (memory and disk)
 * @param remainingBytes bytes still to copy
 * @param totalBytes bytes to copy in all (grows as memory is re-dirtied)
 * @param dirtyRateBytesPerSec the guest's memory dirty rate
 * @param iteration memory-copy iteration
 * @param mibPerSec recent throughput
 * @param etaSeconds remaining / throughput; -1 when unknown
 * @param stalled whether the stall detector has fired
 * @param forced whether the guest was paused to force completion
 */
public record MigrationProgress(
    long elapsedMs, long processedBytes, long remainingBytes, long totalBytes,
    long dirtyRateBytesPerSec, long iteration, double mibPerSec, long etaSeconds,
    boolean stalled, boolean forced) {}
