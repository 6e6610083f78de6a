package io.novacron.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import io.novacron.transfer.wire.Wire;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BaseSignatureTest {
  @TempDir
  Path dir;

  /** The entries block by block, one block at a time: what the chunked, parallel hashing must give. */
  private static byte[] reference(byte[] data, int blockSize) {
    int blocks = (data.length + blockSize - 1) / blockSize;
    ByteBuffer out = ByteBuffer.allocate(blocks * Wire.BASE_ENTRY);
    for (int i = 0; i < blocks; i++) {
      int off = i * blockSize;
      int len = Math.min(blockSize, data.length - off);
      out.putLong(Hashes.xxh64(data, off, len, 0));
      MessageDigest sha = Hashes.sha256();
      sha.update(data, off, len);
      out.put(sha.digest());
    }
    return out.array();
  }

  private byte[] file(String name, int size, long seed) throws IOException {
    byte[] data = new byte[size];
    Random rnd = new Random(seed);
    // Text-like and zero stretches, so equal blocks and distinct ones both occur.
    for (int off = 0; off < size; off += 4096) {
      if (rnd.nextInt(3) > 0) {
        byte[] page = new byte[Math.min(4096, size - off)];
        rnd.nextBytes(page);
        System.arraycopy(page, 0, data, off, page.length);
      }
    }
    Files.write(dir.resolve(name), data);
    return data;
  }

  @Test
  void a_small_base_with_a_short_last_block_matches_the_block_by_block_entries() throws IOException {
    byte[] data = file("small", 3 * 1024 * 1024 + 1234, 1);
    BaseSignature sig = BaseSignature.compute(dir.resolve("small"), 4096);
    assertThat(sig.blocks()).isEqualTo((data.length + 4095) / 4096);
    assertThat(Arrays.equals(sig.entries(), reference(data, 4096))).isTrue();
  }

  @Test
  void a_base_hashed_in_parallel_slices_matches_the_block_by_block_entries() throws IOException {
    int size = (int) BaseSignature.PARALLEL_BYTES + 5 * 4096 + 77;
    byte[] data = file("large", size, 2);
    assertThat(BaseSignature.parts(size, (size + 4095) / 4096, 2)).isEqualTo(2);
    for (int blockSize : new int[] {4096, 65536}) {
      BaseSignature sig = BaseSignature.compute(dir.resolve("large"), blockSize);
      assertThat(Arrays.equals(sig.entries(), reference(data, blockSize))).as("block size %d", blockSize).isTrue();
      assertThat(sig.size()).isEqualTo(size);
    }
  }

  @Test
  void small_bases_stay_on_one_thread_and_slices_are_capped() {
    assertThat(BaseSignature.parts(BaseSignature.PARALLEL_BYTES - 1, 4000, 8)).isEqualTo(1);
    assertThat(BaseSignature.parts(1L << 30, 1 << 18, 2)).isEqualTo(2);
    assertThat(BaseSignature.parts(1L << 30, 1 << 18, 64)).isEqualTo(BaseSignature.MAX_PARTS);
    assertThat(BaseSignature.parts(1L << 30, 3, 64)).isEqualTo(3);
    assertThat(BaseSignature.parts(1L << 30, 1 << 18, 1)).isEqualTo(1);
  }
}
