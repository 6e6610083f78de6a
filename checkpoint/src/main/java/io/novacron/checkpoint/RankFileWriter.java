package io.novacron.checkpoint;

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
  private final PieceWriter out;
  private long written;

  RankFileWriter(Path file, byte[] header, int bufferBytes) throws IOException {
    this.file = file;
    this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING);
    // The whole file is one piece starting at 0: the same gathering writer the sharder uses.
    this.out = new PieceWriter(channel, 0, ByteBuffer.allocate(bufferBytes));
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
    out.write(data);
  }

  /** Flushes, forces the file to disk and closes it. */
  @Override
  public void close() throws IOException {
    try {
      out.flush();
      channel.force(false);
    } finally {
      channel.close();
    }
  }
}
