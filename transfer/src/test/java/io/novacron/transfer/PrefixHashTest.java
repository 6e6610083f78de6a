package io.novacron.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.BitSet;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrefixHashTest {
  static final int BLOCK = 4096;

  @TempDir
  Path dir;

  private static byte[] sha(byte[] data) throws Exception {
    return java.security.MessageDigest.getInstance("SHA-256").digest(data);
  }

  private static void write(FileChannel ch, byte[] data, int block) throws Exception {
    int from = block * BLOCK;
    ch.write(ByteBuffer.wrap(data, from, Math.min(BLOCK, data.length - from)), from);
  }

  @Test
  void hashes_only_the_acknowledged_prefix_ahead_and_the_rest_at_the_end() throws Exception {
    byte[] data = new byte[10 * BLOCK + 123];
    new Random(1).nextBytes(data);
    BitSet acked = new BitSet();
    try (FileChannel ch = FileChannel.open(dir.resolve("p"), StandardOpenOption.CREATE, StandardOpenOption.READ,
        StandardOpenOption.WRITE)) {
      PrefixHash h = new PrefixHash(data.length, BLOCK);
      // Blocks arrive out of order: 0, 1, 3 acknowledged; 2 missing stops the prefix.
      for (int b : new int[] {0, 1, 3}) {
        write(ch, data, b);
        acked.set(b);
      }
      h.advance(ch, b -> acked.get((int) b));
      assertThat(h.hashed()).isEqualTo(2L * BLOCK);
      for (int b = 0; b <= 10; b++) {
        if (!acked.get(b)) {
          write(ch, data, b);
          acked.set(b);
        }
      }
      h.advance(ch, b -> acked.get((int) b));
      assertThat(h.hashed()).isEqualTo(data.length);
      assertThat(h.finish(ch, () -> {})).isEqualTo(sha(data));
      assertThat(h.finish(ch, () -> {})).as("repeated").isEqualTo(sha(data));
    }
  }

  @Test
  void blocks_not_in_the_file_yet_hash_as_zeros() throws Exception {
    // A zero run at the tail is acknowledged but never written: the commit extends the file with zeros.
    byte[] data = new byte[4 * BLOCK];
    new Random(2).nextBytes(data);
    java.util.Arrays.fill(data, 2 * BLOCK, data.length, (byte) 0);
    try (FileChannel ch = FileChannel.open(dir.resolve("p"), StandardOpenOption.CREATE, StandardOpenOption.READ,
        StandardOpenOption.WRITE)) {
      write(ch, data, 0);
      write(ch, data, 1);
      PrefixHash h = new PrefixHash(data.length, BLOCK);
      h.advance(ch, b -> true);
      assertThat(h.finish(ch, () -> {})).isEqualTo(sha(data));
    }
  }

  @Test
  void a_failed_read_ahead_falls_back_to_hashing_the_whole_file() throws Exception {
    byte[] data = new byte[3 * BLOCK];
    new Random(3).nextBytes(data);
    Path p = dir.resolve("p");
    PrefixHash h = new PrefixHash(data.length, BLOCK);
    FileChannel closed = FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    write(closed, data, 0);
    closed.close();
    h.advance(closed, b -> true);
    try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      write(ch, data, 1);
      write(ch, data, 2);
      assertThat(h.finish(ch, () -> {})).isEqualTo(sha(data));
    }
  }

  @Test
  void holes_hash_as_zeros_without_being_read() throws Exception {
    // Blocks 1 and 2 are marked holes, yet the file holds other bytes there: the digest is that of
    // zeros, which shows they were not read (a hole reads as zeros anyway, and reading it costs).
    byte[] data = new byte[6 * BLOCK + 100];
    new Random(4).nextBytes(data);
    byte[] expected = data.clone();
    java.util.Arrays.fill(expected, BLOCK, 3 * BLOCK, (byte) 0);
    java.util.Arrays.fill(expected, 4 * BLOCK, 5 * BLOCK, (byte) 0);
    try (FileChannel ch = FileChannel.open(dir.resolve("p"), StandardOpenOption.CREATE, StandardOpenOption.READ,
        StandardOpenOption.WRITE)) {
      for (int b = 0; b <= 6; b++) {
        write(ch, data, b);
      }
      PrefixHash h = new PrefixHash(data.length, BLOCK);
      h.holes(BLOCK, 3L * BLOCK);
      h.holes(4L * BLOCK, 5L * BLOCK);
      h.advance(ch, b -> b < 3);
      assertThat(h.hashed()).isEqualTo(3L * BLOCK);
      assertThat(h.finish(ch, () -> {})).isEqualTo(sha(expected));
    }
  }

  @Test
  void a_hole_written_later_is_read() throws Exception {
    byte[] data = new byte[3 * BLOCK];
    new Random(5).nextBytes(data);
    try (FileChannel ch = FileChannel.open(dir.resolve("p"), StandardOpenOption.CREATE, StandardOpenOption.READ,
        StandardOpenOption.WRITE)) {
      for (int b = 0; b < 3; b++) {
        write(ch, data, b);
      }
      PrefixHash h = new PrefixHash(data.length, BLOCK);
      h.holes(0, 3L * BLOCK);
      h.written(BLOCK, 2L * BLOCK);
      byte[] expected = data.clone();
      java.util.Arrays.fill(expected, 0, BLOCK, (byte) 0);
      java.util.Arrays.fill(expected, 2 * BLOCK, 3 * BLOCK, (byte) 0);
      assertThat(h.finish(ch, () -> {})).isEqualTo(sha(expected));
    }
  }

  @Test
  void hole_pages_inside_a_block_and_a_short_tail_hash_as_zeros() throws Exception {
    // 16 KiB blocks: pages 1 and 2 of block 0 and the short last page are holes.
    int block = 4 * PrefixHash.PAGE;
    byte[] data = new byte[2 * block + 300];
    new Random(6).nextBytes(data);
    byte[] expected = data.clone();
    java.util.Arrays.fill(expected, PrefixHash.PAGE, 3 * PrefixHash.PAGE, (byte) 0);
    java.util.Arrays.fill(expected, 2 * block, data.length, (byte) 0);
    try (FileChannel ch = FileChannel.open(dir.resolve("p"), StandardOpenOption.CREATE, StandardOpenOption.READ,
        StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap(data), 0);
      PrefixHash h = new PrefixHash(data.length, block);
      h.holes(PrefixHash.PAGE, 3L * PrefixHash.PAGE);
      h.holes(2L * block, data.length);
      assertThat(h.finish(ch, () -> {})).isEqualTo(sha(expected));
    }
  }
}
