package io.novacron.transfer;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.BitSet;
import java.util.concurrent.BlockingQueue;

/**
 * Reads the source once, front to back, and decides per block: already durable at the receiver
 * (skip), all zeros (a zero run), equal to a base block (a copy run), or data for a stream worker.
 * It also computes the SHA-256 of the whole file, which is why even skipped blocks are read: a
 * local read is cheap next to the network, and the hash is what the receiver is checked against.
 */
final class BlockPlanner {
  static final int MAX_RUN = 1 << 20;

  private final FileChannel source;
  private final int blockSize;
  private final SendTracker tracker;
  private final BitSet skip;
  private final DeltaBase delta;
  private final BlockingQueue<Work> queue;
  private final BlockingQueue<byte[]> pool;
  private final byte[] zeros;

  private boolean runIsCopy;
  private long runStart = -1;
  private long runFrom;
  private int runCount;

  /**
   * @param skip blocks the receiver's journal already holds
   * @param delta the receiver's base, or null to send every block that is not zero
   */
  BlockPlanner(FileChannel source, int blockSize, SendTracker tracker, BitSet skip, DeltaBase delta,
      BlockingQueue<Work> queue, BlockingQueue<byte[]> pool) {
    this.source = source;
    this.blockSize = blockSize;
    this.tracker = tracker;
    this.skip = skip;
    this.delta = delta;
    this.queue = queue;
    this.pool = pool;
    this.zeros = new byte[blockSize];
  }

  /** Plans every block and returns the SHA-256 of the file. */
  byte[] plan() throws IOException, InterruptedException {
    MessageDigest whole = Hashes.sha256();
    MessageDigest confirm = Hashes.sha256();
    long size = tracker.size();
    for (long i = 0; i < tracker.blocks(); i++) {
      int len = (int) Math.min(blockSize, size - i * blockSize);
      byte[] buf = pool.take();
      BaseSignature.readFully(source, buf, len, i * blockSize);
      whole.update(buf, 0, len);
      if (skip.get((int) i)) {
        endRun();
        pool.put(buf);
        continue;
      }
      if (Arrays.mismatch(buf, 0, len, zeros, 0, len) < 0) {
        extendRun(false, i, 0);
        tracker.blocksZero.incrementAndGet();
        pool.put(buf);
        continue;
      }
      if (delta != null) {
        long from = delta.match(i, buf, len, Hashes.xxh64(buf, 0, len, 0), confirm);
        if (from >= 0) {
          extendRun(true, i, from);
          tracker.blocksSkipped.incrementAndGet();
          pool.put(buf);
          continue;
        }
      }
      endRun();
      queue.put(new Work.Block(i, buf, len));
    }
    endRun();
    queue.put(Work.END);
    if (source.size() != size) {
      throw new TransferException(TransferError.IO, "the source changed size while it was read");
    }
    return whole.digest();
  }

  private void extendRun(boolean copy, long block, long from) throws InterruptedException {
    if (runStart >= 0 && runIsCopy == copy && runStart + runCount == block && runCount < MAX_RUN
        && (!copy || runFrom + runCount == from)) {
      runCount++;
      return;
    }
    endRun();
    runIsCopy = copy;
    runStart = block;
    runFrom = from;
    runCount = 1;
  }

  private void endRun() throws InterruptedException {
    if (runStart < 0) {
      return;
    }
    queue.put(runIsCopy ? new Work.Copy(runStart, runFrom, runCount) : new Work.Zeros(runStart, runCount));
    runStart = -1;
  }
}
