package io.novacron.transfer;

import io.novacron.transfer.wire.BlockRange;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** Counts what one attempt planned, sent and got acknowledged. Thread-safe. */
final class SendTracker {
  private final long blocks;
  private final long size;
  private final int blockSize;
  private final BitSet acknowledged;
  private final long resumed;
  private long acknowledgedCount;
  private volatile long lastActivityNanos = System.nanoTime();
  final AtomicLong blocksSent = new AtomicLong();
  final AtomicLong blocksZero = new AtomicLong();
  final AtomicLong blocksSkipped = new AtomicLong();
  private final Map<String, LongAdder> payloadByCodec = new ConcurrentHashMap<>();

  SendTracker(long size, int blockSize, BitSet initiallyAcknowledged) {
    this.size = size;
    this.blockSize = blockSize;
    this.blocks = (size + blockSize - 1) / blockSize;
    this.acknowledged = (BitSet) initiallyAcknowledged.clone();
    this.acknowledgedCount = acknowledged.cardinality();
    this.resumed = acknowledgedCount;
  }

  long blocks() {
    return blocks;
  }

  long size() {
    return size;
  }

  long resumed() {
    return resumed;
  }

  synchronized void acknowledged(List<BlockRange> ranges) {
    for (BlockRange r : ranges) {
      long end = Math.min(r.end(), blocks);
      for (long b = r.start(); b < end; b++) {
        if (!acknowledged.get((int) b)) {
          acknowledged.set((int) b);
          acknowledgedCount++;
        }
      }
    }
    touch();
    notifyAll();
  }

  synchronized long acknowledgedBlocks() {
    return acknowledgedCount;
  }

  synchronized boolean complete() {
    return acknowledgedCount == blocks;
  }

  /** Raw bytes the receiver holds durably. */
  synchronized long bytesDone() {
    long done = acknowledgedCount * blockSize;
    if (blocks > 0 && acknowledged.get((int) (blocks - 1))) {
      done -= (long) blockSize * blocks - size;
    }
    return done;
  }

  synchronized void awaitChange(long millis) throws InterruptedException {
    if (acknowledgedCount < blocks) {
      wait(millis);
    }
  }

  void sent(String codec, int payloadBytes) {
    blocksSent.incrementAndGet();
    payloadByCodec.computeIfAbsent(codec, k -> new LongAdder()).add(payloadBytes);
    touch();
  }

  void touch() {
    lastActivityNanos = System.nanoTime();
  }

  long lastActivityNanos() {
    return lastActivityNanos;
  }

  Map<String, Long> payloadByCodec() {
    Map<String, Long> out = new TreeMap<>();
    payloadByCodec.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }
}
