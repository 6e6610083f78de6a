package io.novacron.checkpoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Writes one piece of one shard file at its known position through a small buffer. Positional
 * writes let several workers fill different pieces of the same file at once; gathering the short
 * runs of a row-parallel slice keeps the writes large.
 */
final class PieceWriter {
  private final FileChannel channel;
  private final ByteBuffer buffer;
  private long position;

  /**
   * @param channel the shard file
   * @param position absolute offset of the piece's first byte
   * @param buffer an empty buffer this writer may use until {@link #flush}
   */
  PieceWriter(FileChannel channel, long position, ByteBuffer buffer) {
    this.channel = channel;
    this.position = position;
    this.buffer = buffer.clear();
  }

  /** Appends {@code data} (consumed) to the piece. */
  void write(ByteBuffer data) throws IOException {
    if (data.remaining() > buffer.remaining()) {
      flush();
      if (data.remaining() >= buffer.capacity()) {
        // Large views go straight to the file: copying them through the buffer gains nothing.
        drain(data);
        return;
      }
    }
    buffer.put(data);
  }

  /** Writes out what is buffered; the buffer is free again afterwards. */
  void flush() throws IOException {
    buffer.flip();
    drain(buffer);
    buffer.clear();
  }

  private void drain(ByteBuffer data) throws IOException {
    while (data.hasRemaining()) {
      position += channel.write(data, position);
    }
  }
}
