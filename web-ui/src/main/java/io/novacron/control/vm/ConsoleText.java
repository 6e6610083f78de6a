package io.novacron.control.vm;

import io.novacron.workflows.console.ConsoleChunk;

/**
 * A slice of a VM's serial console log as the API and the dashboard serve it.
 *
 * @param vm the VM
 * @param node the node whose log was read
 * @param text the slice, UTF-8 decoded (invalid bytes shown as U+FFFD)
 * @param offset the byte offset of the text's first byte
 * @param nextOffset the offset to ask for next to follow the log
 * @param size the log's size in bytes when it was read
 * @param truncatedBefore whether a tail skipped bytes before {@code offset}
 * @param restarted whether the log was shorter than the offset asked for: it was replaced (the
 *     guest started again) and this text starts the new log
 */
public record ConsoleText(String vm, String node, String text, long offset, long nextOffset, long size,
    boolean truncatedBefore, boolean restarted) {
  static ConsoleText of(String vm, String node, ConsoleChunk chunk) {
    return new ConsoleText(vm, node, chunk.text(), chunk.start(), chunk.nextOffset(), chunk.size(),
        chunk.truncatedBefore(), chunk.restarted());
  }
}
