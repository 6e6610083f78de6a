package io.novacron.workflows.console;

/**
 * What a read of a console log found.
 *
 * @param text the bytes from {@code start} to {@code nextOffset}, decoded as UTF-8 (invalid bytes
 *     replaced by U+FFFD); a multi-byte character cut by the end of the slice is left for the next
 *     read, one cut by a tail's start is skipped
 * @param start the byte offset of the text's first byte
 * @param nextOffset the offset to ask for next to follow the log
 * @param size the log's size in bytes when it was read (0 when there is no log)
 * @param truncatedBefore whether the log holds bytes before {@code start} that a tail skipped
 * @param restarted whether the log is shorter than the offset asked for: the caller's earlier
 *     text belongs to a previous log (the guest started again, or the VM was deleted and made
 *     anew), and this chunk starts the current one from its first byte
 */
public record ConsoleChunk(String text, long start, long nextOffset, long size, boolean truncatedBefore,
    boolean restarted) {
  /** The chunk of a VM without a console log (never started here, or deleted). */
  public static ConsoleChunk empty() {
    return new ConsoleChunk("", 0, 0, 0, false, false);
  }
}
