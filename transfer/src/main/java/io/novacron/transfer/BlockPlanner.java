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
 * It also computes the SHA-256 of the whole file (on a thread beside it, {@link OrderedHash}),
 * which is why even skipped blocks are read: a local read is cheap next to the network, and the
 * hash is what the receiver is checked against.
 */
final class BlockPlanner {
  static final int MAX_RUN = 1 << 20;
  /** Bytes read per call (whole blocks; at least one block). */
  static final int CHUNK_BYTES = 1 << 20;

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

  /**
   * Plans every block and returns the SHA-256 of the file. The file is read in chunks of about
   * {@value #CHUNK_BYTES} bytes (whole blocks); the whole-file hash runs beside the planning on an
   * {@link OrderedHash}, and a data block is copied out of its chunk into a buffer of the pool for
   * the stream workers.
   */
  byte[] plan() throws IOException, InterruptedException {
    MessageDigest confirm = Hashes.sha256();
    long size = tracker.size();
    long blocks = tracker.blocks();
    int perChunk = Math.max(1, CHUNK_BYTES / blockSize);
    try (OrderedHash whole = new OrderedHash(perChunk * blockSize, Thread.currentThread().getName() + "-sha")) {
      for (long first = 0; first < blocks; first += perChunk) {
        byte[] chunk = whole.take();
        int chunkLength = (int) Math.min((long) perChunk * blockSize, size - first * blockSize);
        BaseSignature.readFully(source, chunk, chunkLength, first * blockSize);
        whole.hash(chunk, chunkLength);
        for (int off = 0; off < chunkLength; off += blockSize) {
          plan(first + off / blockSize, chunk, off, Math.min(blockSize, chunkLength - off), confirm);
        }
      }
      endRun();
      queue.put(Work.END);
      if (source.size() != size) {
        throw new TransferException(TransferError.IO, "the source changed size while it was read");
      }
      return whole.digest();
    }
  }

  /** Decides what to do with block {@code i}, whose bytes are {@code chunk[off, off+len)}. */
  private void plan(long i, byte[] chunk, int off, int len, MessageDigest confirm) throws InterruptedException {
    if (skip.get((int) i)) {
      endRun();
      return;
    }
    if (Arrays.mismatch(chunk, off, off + len, zeros, 0, len) < 0) {
      extendRun(false, i, 0);
      tracker.blocksZero.incrementAndGet();
      return;
    }
    if (delta != null) {
      long from = delta.match(i, chunk, off, len, Hashes.xxh64(chunk, off, len, 0), confirm);
      if (from >= 0) {
        extendRun(true, i, from);
        tracker.blocksSkipped.incrementAndGet();
        return;
      }
    }
    endRun();
    byte[] buf = pool.take();
    System.arraycopy(chunk, off, buf, 0, len);
    queue.put(new Work.Block(i, buf, len));
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
