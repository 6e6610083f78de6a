package io.novacron.transfer;

import io.novacron.transfer.wire.BlockRange;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/** Collects block ranges, merging each one into the previous when they touch. */
final class RangeList {
  private final List<BlockRange> ranges = new ArrayList<>();
  private long blocks;

  void add(long start, int count) {
    blocks += count;
    int last = ranges.size() - 1;
    if (last >= 0) {
      BlockRange r = ranges.get(last);
      if (r.end() == start && (long) r.count() + count <= Integer.MAX_VALUE) {
        ranges.set(last, new BlockRange(r.start(), r.count() + count));
        return;
      }
    }
    ranges.add(new BlockRange(start, count));
  }

  boolean isEmpty() {
    return ranges.isEmpty();
  }

  /** Blocks added (counting overlaps twice). */
  long blocks() {
    return blocks;
  }

  List<BlockRange> drain() {
    List<BlockRange> out = List.copyOf(ranges);
    ranges.clear();
    blocks = 0;
    return out;
  }

  /** The set bits of {@code bits} as ranges. */
  static List<BlockRange> of(BitSet bits) {
    RangeList list = new RangeList();
    for (int i = bits.nextSetBit(0); i >= 0; ) {
      int end = bits.nextClearBit(i);
      list.add(i, end - i);
      i = end >= Integer.MAX_VALUE ? -1 : bits.nextSetBit(end);
    }
    return list.drain();
  }
}
