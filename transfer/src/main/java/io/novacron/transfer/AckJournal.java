package io.novacron.transfer;

import io.novacron.transfer.wire.BlockRange;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.BitSet;
import java.util.List;

/**
 * The receiver's durable record of acknowledged blocks, in a file next to the partial file. A
 * block is acknowledged to the sender only after its bytes were forced to the partial file and
 * its range appended here and forced: so after any crash, every block the journal lists is in the
 * partial file, and the sender may skip it.
 *
 * <p>Layout: a 40-byte header (magic, version, block size, source size, source fingerprint, XXH64
 * of the header) binds the journal to one version of one source; then 16-byte records (first
 * block u64, count u32, low half of the record's XXH64). Loading stops at the first record that
 * fails its check (a write torn by the crash) and cuts the file there.
 */
final class AckJournal implements Closeable {
  private static final int MAGIC = 0x4E56584A; // "NVXJ"
  private static final int VERSION = 1;
  static final int HEADER = 40;
  static final int RECORD = 16;

  private final FileChannel channel;
  private final Header header;
  private final BitSet acknowledged;
  private final boolean resumed;
  private long count;

  /**
   * @param blockSize bytes per block
   * @param sourceSize bytes in the source
   * @param fingerprint of the source version (size and modification time)
   */
  record Header(int blockSize, long sourceSize, long fingerprint) {
    long blocks() {
      return (sourceSize + blockSize - 1) / blockSize;
    }
  }

  private AckJournal(FileChannel channel, Header header, BitSet acknowledged, boolean resumed) {
    this.channel = channel;
    this.header = header;
    this.acknowledged = acknowledged;
    this.resumed = resumed;
    this.count = acknowledged.cardinality();
  }

  /**
   * Opens the journal at {@code path}: loads it when it was written for the same header, else
   * starts it afresh (then {@link #resumed()} is false and the caller must discard the partial
   * file).
   */
  static AckJournal open(Path path, Header header) throws IOException {
    FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
        StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
    try {
      BitSet bits = new BitSet();
      if (ch.size() >= HEADER && header.equals(readHeader(ch))) {
        long good = load(ch, header.blocks(), bits);
        ch.truncate(good);
        return new AckJournal(ch, header, bits, true);
      }
      ch.truncate(0);
      ch.write(encodeHeader(header), 0);
      ch.force(true);
      return new AckJournal(ch, header, bits, false);
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  /** Blocks listed by the journal at {@code path}, whatever its header; 0 when there is none. */
  static long countAcknowledged(Path path) {
    if (!Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
      return 0;
    }
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
      Header h = readHeader(ch);
      if (h == null) {
        return 0;
      }
      BitSet bits = new BitSet();
      load(ch, h.blocks(), bits);
      return bits.cardinality();
    } catch (IOException e) {
      return 0;
    }
  }

  Header header() {
    return header;
  }

  /** True when the journal was loaded from an earlier session rather than started empty. */
  boolean resumed() {
    return resumed;
  }

  synchronized boolean isAcknowledged(long block) {
    return acknowledged.get((int) block);
  }

  synchronized long count() {
    return count;
  }

  synchronized boolean complete() {
    return count == header.blocks();
  }

  synchronized List<BlockRange> ranges() {
    return RangeList.of(acknowledged);
  }

  /** Appends the ranges and forces them to disk; the caller forced the data first. */
  synchronized void append(List<BlockRange> ranges) throws IOException {
    if (ranges.isEmpty()) {
      return;
    }
    ByteBuffer buf = ByteBuffer.allocate(RECORD * ranges.size());
    for (BlockRange r : ranges) {
      ByteBuffer rec = ByteBuffer.allocate(12).putLong(r.start()).putInt(r.count());
      long check = Hashes.xxh64(rec.array(), 0, 12, header.fingerprint());
      buf.put(rec.array()).putInt((int) check);
      acknowledged.set((int) r.start(), (int) r.end());
    }
    buf.flip();
    long pos = channel.size();
    while (buf.hasRemaining()) {
      pos += channel.write(buf, pos);
    }
    channel.force(false);
    count = acknowledged.cardinality();
  }

  @Override
  public synchronized void close() throws IOException {
    channel.close();
  }

  private static ByteBuffer encodeHeader(Header h) {
    ByteBuffer b = ByteBuffer.allocate(HEADER);
    b.putInt(MAGIC).putInt(VERSION).putInt(h.blockSize()).putInt(0).putLong(h.sourceSize()).putLong(h.fingerprint());
    b.putLong(Hashes.xxh64(b.array(), 0, 32, 0));
    return b.flip();
  }

  private static Header readHeader(FileChannel ch) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(HEADER);
    while (b.hasRemaining()) {
      if (ch.read(b, b.position()) < 0) {
        return null;
      }
    }
    b.flip();
    if (b.getInt() != MAGIC || b.getInt() != VERSION) {
      return null;
    }
    int blockSize = b.getInt();
    b.getInt();
    long size = b.getLong();
    long fingerprint = b.getLong();
    if (b.getLong() != Hashes.xxh64(b.array(), 0, 32, 0) || blockSize <= 0 || size < 0) {
      return null;
    }
    return new Header(blockSize, size, fingerprint);
  }

  /** Reads records into {@code bits}; returns the offset after the last good record. */
  private static long load(FileChannel ch, long blocks, BitSet bits) throws IOException {
    Header h = readHeader(ch);
    long pos = HEADER;
    long size = ch.size();
    ByteBuffer rec = ByteBuffer.allocate(RECORD);
    while (pos + RECORD <= size) {
      rec.clear();
      while (rec.hasRemaining() && ch.read(rec, pos + rec.position()) > 0) {
        // read the whole record
      }
      long start = rec.getLong(0);
      int n = rec.getInt(8);
      int check = rec.getInt(12);
      if ((int) Hashes.xxh64(rec.array(), 0, 12, h.fingerprint()) != check || start < 0 || n <= 0
          || start + n > blocks) {
        break;
      }
      bits.set((int) start, (int) (start + n));
      pos += RECORD;
    }
    return pos;
  }
}
