package io.novacron.checkpoint;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads a file front to back through one fixed buffer, handing out views of it. Positional reads
 * only, so the heap holds the buffer and never a tensor: what keeps sharding a 400 GiB checkpoint
 * within a few megabytes. Forward {@link #seek}s inside the buffer cost nothing.
 */
final class SequentialReader implements AutoCloseable {
  private final Path file;
  private final FileChannel channel;
  private final ByteBuffer buffer;
  private long bufferStart;
  private long position;

  SequentialReader(Path file, int bufferBytes) throws IOException {
    this(file, ByteBuffer.allocate(bufferBytes));
  }

  /** A reader that uses {@code buffer}, which the caller must not touch while the reader is open. */
  SequentialReader(Path file, ByteBuffer buffer) throws IOException {
    this.file = file;
    this.channel = FileChannel.open(file, StandardOpenOption.READ);
    this.buffer = buffer.clear().limit(0);
  }

  Path file() {
    return file;
  }

  /** Moves to absolute offset {@code to}. */
  void seek(long to) {
    position = to;
  }

  /**
   * A view of the next bytes, at most {@code max} of them and at least one, valid until the next
   * call. Advances past them.
   */
  ByteBuffer next(long max) throws IOException {
    if (position < bufferStart || position >= bufferStart + buffer.limit()) {
      fill();
    }
    int offset = (int) (position - bufferStart);
    int n = (int) Math.min(max, buffer.limit() - offset);
    position += n;
    return buffer.duplicate().position(offset).limit(offset + n).slice();
  }

  private void fill() throws IOException {
    buffer.clear();
    bufferStart = position;
    while (buffer.hasRemaining()) {
      int n = channel.read(buffer, bufferStart + buffer.position());
      if (n < 0) {
        break;
      }
    }
    buffer.flip();
    if (!buffer.hasRemaining()) {
      throw new EOFException(file + ": unexpected end of file at offset " + position);
    }
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
