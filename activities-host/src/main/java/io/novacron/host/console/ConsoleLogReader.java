package io.novacron.host.console;

import io.novacron.workflows.console.ConsoleChunk;
import io.novacron.workflows.console.ConsoleRequest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads a slice of a console log file that libvirt appends to while the guest runs. Pure file I/O,
 * no libvirt: a read never blocks on the guest or on libvirtd.
 */
public final class ConsoleLogReader {
  private ConsoleLogReader() {}

  /**
   * The slice of {@code log} that {@code request} asks for (its name is not looked at here).
   * A missing file is an empty log.
   */
  public static ConsoleChunk read(Path log, ConsoleRequest request) throws IOException {
    try (FileChannel channel = FileChannel.open(log, StandardOpenOption.READ)) {
      return read(channel, request.offset(), request.boundedMaxBytes());
    } catch (NoSuchFileException e) {
      return ConsoleChunk.empty();
    }
  }

  private static ConsoleChunk read(FileChannel channel, long offset, int maxBytes) throws IOException {
    long size = channel.size();
    boolean tail = offset < 0;
    // The file is replaced when the guest starts again: an offset past its end belongs to the old one.
    boolean restarted = offset > size;
    long start = tail ? tailStart(size, offset) : restarted ? 0 : offset;
    ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(maxBytes, size - start));
    while (buffer.hasRemaining() && channel.read(buffer, start + buffer.position()) > 0) {
      // libvirt may append meanwhile; what arrives after size() was taken waits for the next read.
    }
    byte[] bytes = buffer.array();
    int length = buffer.position();
    // A tail's first byte may fall inside a character: skip to the next one.
    int from = tail ? skipContinuation(bytes, length) : 0;
    // A character cut by the slice's end (or not yet fully written) is left for the next read.
    int to = from + completeLength(bytes, from, length);
    return new ConsoleChunk(decode(bytes, from, to - from), start + from, start + to, size,
        tail && start + from > 0, restarted);
  }

  /** Where the last {@code -offset} bytes begin. */
  private static long tailStart(long size, long offset) {
    // -Long.MIN_VALUE overflows; any tail that long is the whole log.
    return offset == Long.MIN_VALUE ? 0 : Math.max(0, size + offset);
  }

  private static boolean continuation(byte b) {
    return (b & 0xC0) == 0x80;
  }

  /** How many leading continuation bytes to skip (at most 3: a UTF-8 character has at most 4 bytes). */
  private static int skipContinuation(byte[] bytes, int length) {
    int skipped = 0;
    while (skipped < Math.min(3, length) && continuation(bytes[skipped])) {
      skipped++;
    }
    return skipped;
  }

  /**
   * How many bytes from {@code from} end on a character boundary: all of them unless the last
   * character's lead byte announces more bytes than follow it.
   */
  static int completeLength(byte[] bytes, int from, int length) {
    int end = length;
    for (int i = end - 1; i >= Math.max(from, end - 4); i--) {
      if (continuation(bytes[i])) {
        continue;
      }
      int needed = sequenceLength(bytes[i]);
      return needed > end - i ? i - from : end - from;
    }
    // No lead byte among the last four: invalid anyway, the decoder replaces it.
    return end - from;
  }

  /** The length of the UTF-8 sequence that {@code lead} starts; 1 for ASCII and for invalid leads. */
  private static int sequenceLength(byte lead) {
    int b = lead & 0xFF;
    if (b >= 0xF0 && b <= 0xF4) {
      return 4;
    }
    if (b >= 0xE0) {
      return b <= 0xEF ? 3 : 1;
    }
    return b >= 0xC2 && b <= 0xDF ? 2 : 1;
  }

  private static String decode(byte[] bytes, int from, int length) {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPLACE)
          .onUnmappableCharacter(CodingErrorAction.REPLACE)
          .decode(ByteBuffer.wrap(bytes, from, length))
          .toString();
    } catch (CharacterCodingException e) {
      throw new IllegalStateException("a replacing decoder does not throw", e);
    }
  }
}
