package io.novacron.transfer.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ChunkCodecTest {
  final byte[] text = "the quick brown fox jumps over the lazy dog\n".repeat(1500).substring(0, 65536)
      .getBytes(StandardCharsets.US_ASCII);

  @Test
  void compressible_chunks_round_trip_through_every_codec() {
    try (ChunkCompressor c = new ChunkCompressor(65536); ChunkDecompressor d = new ChunkDecompressor()) {
      for (CodecChoice choice : new CodecChoice[] {CodecChoice.LZ4, CodecChoice.zstd(1), CodecChoice.zstd(19)}) {
        int n = c.compress(choice, text, text.length);
        assertThat(n).as(choice.label()).isPositive().isLessThan(text.length / 4);
        byte[] out = new byte[text.length];
        assertThat(d.decompress(choice.codec(), c.output(), 0, n, out, text.length)).isTrue();
        assertThat(out).isEqualTo(text);
      }
    }
  }

  @Test
  void random_chunks_are_not_worth_compressing() {
    byte[] random = new byte[65536];
    new SplittableRandom(1).nextBytes(random);
    try (ChunkCompressor c = new ChunkCompressor(65536)) {
      assertThat(c.compress(CodecChoice.LZ4, random, random.length)).isEqualTo(-1);
      assertThat(c.compress(CodecChoice.zstd(3), random, random.length)).isEqualTo(-1);
    }
  }

  @Test
  void corrupted_compressed_chunks_are_refused_not_misread() {
    try (ChunkCompressor c = new ChunkCompressor(65536); ChunkDecompressor d = new ChunkDecompressor()) {
      for (CodecChoice choice : new CodecChoice[] {CodecChoice.LZ4, CodecChoice.zstd(3)}) {
        int n = c.compress(choice, text, text.length);
        byte[] wire = Arrays.copyOf(c.output(), n);
        byte[] out = new byte[text.length];
        // Truncated input, or the wrong raw length, must fail.
        assertThat(d.decompress(choice.codec(), wire, 0, n / 2, out, text.length)).isFalse();
        assertThat(d.decompress(choice.codec(), wire, 0, n, out, text.length - 1)).isFalse();
      }
    }
  }

  @Test
  void zero_pages_are_left_out_and_restored() {
    byte[] block = new byte[65536 - 100];
    new SplittableRandom(2).nextBytes(block);
    Arrays.fill(block, 4096, 3 * 4096, (byte) 0);
    Arrays.fill(block, 15 * 4096, block.length, (byte) 0);
    byte[] bitmap = new byte[ZeroPages.bitmapBytes(block.length)];
    byte[] packed = new byte[block.length];

    int n = ZeroPages.pack(block, block.length, bitmap, packed);

    assertThat(n).isEqualTo(13 * 4096);
    assertThat(ZeroPages.packedLength(bitmap, 0, block.length)).isEqualTo(n);
    byte[] back = new byte[block.length];
    Arrays.fill(back, (byte) 1);
    ZeroPages.unpack(bitmap, 0, packed, back, block.length);
    assertThat(back).isEqualTo(block);
  }

  @Test
  void blocks_without_zero_pages_and_malformed_bitmaps_are_recognised() {
    byte[] block = new byte[65536];
    new SplittableRandom(3).nextBytes(block);
    assertThat(ZeroPages.pack(block, block.length, new byte[2], new byte[65536])).isEqualTo(-1);
    // A 5-page block has a one-byte bitmap; bits for pages 5 to 7 must be clear.
    assertThat(ZeroPages.packedLength(new byte[] {(byte) 0x20}, 0, 5 * 4096)).isEqualTo(-1);
  }
}
