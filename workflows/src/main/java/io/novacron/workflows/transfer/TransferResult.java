package io.novacron.workflows.transfer;

import java.util.Map;

/**
 * What {@link TransferActivities#send} did. The bytes now wait, verified, in the receiver's
 * partial file; {@link TransferActivities#closeReceive} with {@link #sha256()} moves them into
 * place.
 *
 * @param transferId the transfer
 * @param bytesRaw size of the file
 * @param bytesOnWire bytes the sender's connections carried, both directions, over all attempts
 *     (frames, handshakes, acknowledgements and the delta base's block hashes)
 * @param blocksTotal blocks in the file
 * @param blocksSent data frames sent (compressed or raw), over all connection attempts of this
 *     send: a block resent after a failure counts twice
 * @param blocksSkipped blocks the last attempt did not send because the receiver's existing copy
 *     has them (delta)
 * @param blocksZero all-zero blocks of the last attempt, sent as a range marker without data
 * @param blocksResumed blocks the receiver's journal already held when the last attempt began
 * @param ratio {@code bytesRaw / bytesOnWire}
 * @param seconds wall time of the whole send, all attempts
 * @param sha256 SHA-256 (hex) of the source file as read; with {@code verify} the receiver checked
 *     its copy against it
 * @param attempts connection attempts the sender made (1 when nothing failed)
 * @param wireBytesByCodec payload bytes sent per codec ({@code none}, {@code lz4},
 *     {@code zstd:<level>})
 */
public record TransferResult(
    String transferId, long bytesRaw, long bytesOnWire, long blocksTotal, long blocksSent,
    long blocksSkipped, long blocksZero, long blocksResumed, double ratio, double seconds,
    String sha256, int attempts, Map<String, Long> wireBytesByCodec) {}
