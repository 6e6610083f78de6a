package io.novacron.transfer;

/** What the planner hands the stream workers. */
sealed interface Work {
  /** The end of the file: every worker sees it (each puts it back for the next). */
  Work END = new End();

  /** A block to send as data; {@code buffer} goes back to the pool once written. */
  record Block(long index, byte[] buffer, int length) implements Work {}

  /** All-zero blocks. */
  record Zeros(long start, int count) implements Work {}

  /** Blocks the receiver copies from its base, block {@code from} on. */
  record Copy(long start, long from, int count) implements Work {}

  /** See {@link #END}. */
  record End() implements Work {}
}
