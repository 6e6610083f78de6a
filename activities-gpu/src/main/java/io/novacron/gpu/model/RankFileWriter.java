package io.novacron.gpu.model;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Appends to one shard file through a bounded buffer: the header first, then tensor data in header
 * order. Small writes (one row of a row-parallel slice) are gathered so that the file sees large
 * sequential writes.
 */
final class RankFileWriter implements AutoCloseable {
  private final Path file;
  private final FileChannel channel;
  private final ByteBuffer buffer;
  private long written;

  RankFileWriter(Path file, byte[] header, int bufferBytes) throws IOException {
    this.file = file;
    this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING);
    this.buffer = ByteBuffer.allocate(bufferBytes);
    ByteBuffer length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).flip();
    write(length);
    write(ByteBuffer.wrap(header));
  }

  Path file() {
    return file;
  }

  /** Bytes written so far, header included. */
  long written() {
    return written;
  }

  /** Appends {@code data} (consumed). */
  void write(ByteBuffer data) throws IOException {
    written += data.remaining();
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

  private void flush() throws IOException {
    buffer.flip();
    drain(buffer);
    buffer.clear();
  }

  private void drain(ByteBuffer data) throws IOException {
    while (data.hasRemaining()) {
      channel.write(data);
    }
  }

  /** Flushes, forces the file to disk and closes it. */
  @Override
  public void close() throws IOException {
    try {
      flush();
      channel.force(false);
    } finally {
      channel.close();
    }
  }
}
