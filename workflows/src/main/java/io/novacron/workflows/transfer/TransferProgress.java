package io.novacron.workflows.transfer;

/**
 * Live progress of {@link TransferActivities#send}, recorded as its heartbeat details (visible as
 * the pending activity's details in DescribeWorkflowExecution). A retried attempt reads the last
 * one back to carry its totals forward; which blocks are safe to skip it learns from the
 * receiver's journal, the only record of what has durably landed.
 *
 * @param transferId the transfer
 * @param attempt sender attempt (Temporal attempt number, or the engine's reconnect count)
 * @param phase {@code connecting}, {@code streaming}, {@code committing} or {@code done}
 * @param bytesTotal size of the source file
 * @param bytesDone raw bytes of the source the receiver holds durably (acknowledged, elided as
 *     zero or matched by delta)
 * @param bytesOnWire bytes the sender's connections carried so far, both directions, over all
 *     attempts
 * @param blocksTotal blocks in the source file
 * @param blocksAcknowledged blocks the receiver's journal holds
 * @param ratio raw bytes the receiver holds per byte on the wire (greater than 1 when compression,
 *     zero elision or delta pay)
 * @param throughputBytesPerSec raw bytes made durable per second in this attempt
 * @param etaSeconds estimated seconds to finish at the current throughput; -1 while unknown
 * @param codec codec the sender uses now ({@code lz4}, {@code zstd:3}, {@code none})
 */
public record TransferProgress(
    String transferId, int attempt, String phase, long bytesTotal, long bytesDone,
    long bytesOnWire, long blocksTotal, long blocksAcknowledged, double ratio,
    double throughputBytesPerSec, double etaSeconds, String codec) {}
