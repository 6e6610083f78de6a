package io.novacron.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RankFileDigestsTest {
  @TempDir Path tmp;
  final ByteBuffer scratch = ByteBuffer.allocate(64);

  @Test
  void ranges_written_in_any_order_give_the_digest_of_the_whole_file() throws Exception {
    byte[] content = new byte[3 * RankFileDigests.READ_BYTES + 12345];
    new Random(7).nextBytes(content);
    List<long[]> ranges = ranges(content.length, 97);
    Collections.shuffle(ranges, new Random(11));

    try (FileChannel channel = open(tmp.resolve("rank.safetensors"))) {
      RankFileDigests digests = new RankFileDigests(List.of(channel), new long[] {content.length});
      ExecutorService pool = Executors.newFixedThreadPool(4);
      try {
        List<Future<?>> done = new ArrayList<>();
        for (long[] r : ranges) {
          done.add(pool.submit(() -> {
            // Written first, then reported: what the sharder's workers do.
            channel.write(ByteBuffer.wrap(content, (int) r[0], (int) (r[1] - r[0])), r[0]);
            digests.written(0, r[0], r[1] - r[0], ByteBuffer.allocateDirect(4096));
            return null;
          }));
        }
        for (Future<?> f : done) {
          f.get();
        }
      } finally {
        pool.shutdown();
      }

      assertThat(digests.digest(0)).isEqualTo(HexFormat.of().formatHex(CheckpointSharder.sha256().digest(content)));
    }
  }

  @Test
  void a_range_never_reported_leaves_the_file_without_a_digest() throws IOException {
    try (FileChannel channel = open(tmp.resolve("rank.safetensors"))) {
      RankFileDigests digests = threeHundredBytes(channel);
      digests.written(0, 0, 100, scratch);
      digests.written(0, 200, 100, scratch);

      assertThatThrownBy(() -> digests.digest(0)).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("100 of 300 bytes hashed");
    }
  }

  @Test
  void a_range_reported_twice_or_past_the_end_is_refused() throws IOException {
    try (FileChannel channel = open(tmp.resolve("rank.safetensors"))) {
      RankFileDigests digests = threeHundredBytes(channel);
      digests.written(0, 0, 100, scratch);
      digests.written(0, 200, 50, scratch);

      assertThatThrownBy(() -> digests.written(0, 50, 10, scratch)).isInstanceOf(IllegalStateException.class);
      assertThatThrownBy(() -> digests.written(0, 190, 20, scratch)).isInstanceOf(IllegalStateException.class);
      assertThatThrownBy(() -> digests.written(0, 290, 20, scratch)).isInstanceOf(IllegalStateException.class);
      // An empty piece may sit anywhere, even inside what is hashed already.
      digests.written(0, 50, 0, scratch);
    }
  }

  /** Digests of one 300-byte file of zeros, nothing reported written yet. */
  private static RankFileDigests threeHundredBytes(FileChannel channel) throws IOException {
    channel.write(ByteBuffer.wrap(new byte[300]), 0);
    return new RankFileDigests(List.of(channel), new long[] {300});
  }

  private static FileChannel open(Path file) throws IOException {
    return FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
  }

  /** {@code size} cut into ranges of varying length, about {@code count} of them. */
  private static List<long[]> ranges(long size, int count) {
    Random random = new Random(3);
    List<long[]> ranges = new ArrayList<>();
    long at = 0;
    while (at < size) {
      long len = Math.min(size - at, 1 + random.nextInt((int) (2 * size / count)));
      ranges.add(new long[] {at, at + len});
      at += len;
    }
    return ranges;
  }
}
