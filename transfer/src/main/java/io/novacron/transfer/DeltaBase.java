package io.novacron.transfer;

import io.novacron.transfer.wire.Wire;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * The sender's view of the receiver's existing copy: finds a base block equal to a source block.
 * The same position is tried first (a disk image changes in place); otherwise any base block
 * whose XXH64 matches (data moved by whole blocks). A candidate counts only when its SHA-256
 * matches too.
 */
final class DeltaBase {
  private static final int EMPTY = -1;
  private final ByteBuffer entries;
  private final long blocks;
  private final long[] keys;
  private final int[] values;
  private final int mask;

  DeltaBase(byte[] entries) {
    this.entries = ByteBuffer.wrap(entries);
    this.blocks = entries.length / Wire.BASE_ENTRY;
    int capacity = Integer.highestOneBit((int) Math.max(16, blocks * 2 + 1)) << 1;
    this.keys = new long[capacity];
    this.values = new int[capacity];
    this.mask = capacity - 1;
    Arrays.fill(values, EMPTY);
    for (int i = 0; i < blocks; i++) {
      long key = xxh(i);
      int slot = slot(key);
      while (values[slot] != EMPTY && keys[slot] != key) {
        slot = (slot + 1) & mask;
      }
      if (values[slot] == EMPTY) {
        // Keep the first block with this hash: equal blocks are interchangeable.
        keys[slot] = key;
        values[slot] = i;
      }
    }
  }

  long blocks() {
    return blocks;
  }

  /**
   * A base block with the same content as {@code data[off, off+len)} of source block {@code block},
   * or -1.
   *
   * @param xxh the XXH64 (seed 0) of the data
   */
  long match(long block, byte[] data, int off, int len, long xxh, MessageDigest sha) {
    if (block < blocks && xxh(block) == xxh && shaEquals(block, data, off, len, sha)) {
      return block;
    }
    int slot = slot(xxh);
    while (values[slot] != EMPTY) {
      if (keys[slot] == xxh) {
        int candidate = values[slot];
        return shaEquals(candidate, data, off, len, sha) ? candidate : -1;
      }
      slot = (slot + 1) & mask;
    }
    return -1;
  }

  private long xxh(long block) {
    return entries.getLong((int) (block * Wire.BASE_ENTRY));
  }

  private boolean shaEquals(long block, byte[] data, int off, int len, MessageDigest sha) {
    sha.reset();
    sha.update(data, off, len);
    byte[] digest = sha.digest();
    int at = (int) (block * Wire.BASE_ENTRY) + 8;
    for (int i = 0; i < 32; i++) {
      if (entries.get(at + i) != digest[i]) {
        return false;
      }
    }
    return true;
  }

  private int slot(long key) {
    return (int) ((key ^ (key >>> 29)) * 0x9E3779B97F4A7C15L >>> 33) & mask;
  }
}
