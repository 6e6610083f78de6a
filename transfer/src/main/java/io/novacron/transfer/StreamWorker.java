package io.novacron.transfer;

import io.novacron.transfer.codec.ChunkCompressor;
import io.novacron.transfer.codec.Codec;
import io.novacron.transfer.codec.CodecChoice;
import io.novacron.transfer.codec.CodecSelector;
import io.novacron.transfer.codec.ZeroPages;
import io.novacron.transfer.wire.Wire;
import java.io.IOException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Takes planned work off the queue and writes it to one connection: leaves out a block's zero
 * pages, compresses the rest with the codec the selector picks (raw when it does not pay), waits for the bandwidth cap, and
 * reports to the selector how long compression and the socket took. When idle it sends a Flush,
 * which makes the receiver acknowledge what it has.
 */
final class StreamWorker {
  static final long IDLE_FLUSH_MILLIS = 1000;

  private final StreamConnection connection;
  private final BlockingQueue<Work> queue;
  private final BlockingQueue<byte[]> pool;
  private final CodecSelector selector;
  private final RateLimiter limiter;
  private final SendTracker tracker;
  private final int blockSize;
  private final byte[] bitmap;
  private final byte[] packed;

  StreamWorker(StreamConnection connection, BlockingQueue<Work> queue, BlockingQueue<byte[]> pool,
      CodecSelector selector, RateLimiter limiter, SendTracker tracker, int blockSize) {
    this.connection = connection;
    this.queue = queue;
    this.pool = pool;
    this.selector = selector;
    this.limiter = limiter;
    this.tracker = tracker;
    this.blockSize = blockSize;
    this.bitmap = new byte[ZeroPages.bitmapBytes(blockSize)];
    this.packed = new byte[blockSize];
  }

  void run() throws IOException, InterruptedException {
    int stream = connection.stream;
    try (ChunkCompressor main = new ChunkCompressor(blockSize); ChunkCompressor probe = new ChunkCompressor(blockSize)) {
      while (true) {
        Work work = queue.poll(IDLE_FLUSH_MILLIS, TimeUnit.MILLISECONDS);
        if (work == null) {
          connection.writer.flushFrame();
          continue;
        }
        if (work instanceof Work.End) {
          queue.put(Work.END);
          connection.writer.flushFrame();
          return;
        }
        if (work instanceof Work.Block b) {
          send(stream, b, main, probe);
          pool.put(b.buffer());
        } else if (work instanceof Work.Zeros z) {
          limiter.acquire(Wire.ENVELOPE_HEAD + 12 + Wire.ENVELOPE_TAIL);
          connection.writer.zeroRun(z.start(), z.count());
        } else if (work instanceof Work.Copy c) {
          limiter.acquire(Wire.ENVELOPE_HEAD + 20 + Wire.ENVELOPE_TAIL);
          connection.writer.copyRun(c.start(), c.from(), c.count());
        }
      }
    }
  }

  private void send(int stream, Work.Block b, ChunkCompressor main, ChunkCompressor probe)
      throws IOException, InterruptedException {
    // Zero pages inside the block are left out; what remains is what the codec sees.
    byte[] input = b.buffer();
    int inputLength = b.length();
    int bitmapLength = 0;
    int packedLength = ZeroPages.pack(b.buffer(), b.length(), bitmap, packed);
    if (packedLength >= 0) {
      input = packed;
      inputLength = packedLength;
      bitmapLength = ZeroPages.bitmapBytes(b.length());
    }
    CodecChoice choice = selector.next(stream);
    byte[] payload = input;
    int length = inputLength;
    CodecChoice used = CodecChoice.NONE;
    if (choice.codec() != Codec.NONE && inputLength > 0) {
      long t0 = System.nanoTime();
      int n = main.compress(choice, input, inputLength);
      selector.compressed(choice, inputLength, n, System.nanoTime() - t0);
      selector.outcome(stream, n >= 0);
      if (n >= 0) {
        payload = main.output();
        length = n;
        used = choice;
      }
    }
    CodecChoice other = inputLength > 0 ? selector.probe(stream) : null;
    if (other != null && !other.equals(choice)) {
      long t0 = System.nanoTime();
      int n = probe.compress(other, input, inputLength);
      selector.compressed(other, inputLength, n, System.nanoTime() - t0);
      if (n >= 0 && n < length) {
        payload = probe.output();
        length = n;
        used = other;
      }
    }
    int codecByte = used.codec().id() | (bitmapLength > 0 ? ZeroPages.SPARSE : 0);
    int frame = Wire.ENVELOPE_HEAD + Wire.DATA_HEADER + bitmapLength + length + Wire.ENVELOPE_TAIL;
    long t0 = System.nanoTime();
    limiter.acquire(frame);
    connection.writer.data(b.index(), codecByte, b.buffer(), b.length(), bitmap, bitmapLength, payload, length);
    selector.wrote(b.length(), frame, System.nanoTime() - t0);
    tracker.sent(used.label(), bitmapLength + length);
  }
}
