package io.novacron.workflows.migrate;

/**
 * Statistics of the last completed migration job, as the target's libvirt keeps them.
 *
 * @param downtimeMs the guest's pause at switch-over; -1 when libvirt did not report it
 * @param processedBytes bytes processed; -1 when unknown
 * @param elapsedMs the job's time; -1 when unknown
 */
public record CompletedJob(long downtimeMs, long processedBytes, long elapsedMs) {}
