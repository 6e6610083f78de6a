package io.novacron.transfer;

/**
 * Counters of one receive, since the node started: what tests and operators look at to see that
 * acknowledged blocks were not sent again and corrupted chunks were caught.
 *
 * @param blocksWritten data blocks written to the partial file
 * @param blocksCopied blocks copied from the delta base
 * @param blocksZeroed zero blocks that had to be written (the region held older bytes)
 * @param duplicateBlocks data blocks that arrived although the journal already held them
 * @param corruptFrames frames that failed their check or did not decompress
 * @param acknowledgedBlocks blocks the journal holds now
 */
public record ReceiveStats(
    long blocksWritten, long blocksCopied, long blocksZeroed, long duplicateBlocks, long corruptFrames,
    long acknowledgedBlocks) {}
