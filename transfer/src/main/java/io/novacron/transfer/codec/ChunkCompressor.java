package io.novacron.transfer.codec;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import net.jpountz.lz4.LZ4Compressor;

/**
 * Compresses chunks for one stream worker (not thread-safe: one per thread, reused so that zstd's
 * context and the output buffer are allocated once).
 */
public final class ChunkCompressor implements AutoCloseable {
  /**
   * A chunk whose output is not at least this much smaller goes raw: the receiver's decompression
   * would cost more than the few saved bytes are worth.
   */
  static final double MIN_SAVING = 0.02;

  private final ZstdCompressCtx zstd = new ZstdCompressCtx();
  private final LZ4Compressor lz4 = Natives.lz4().fastCompressor();
  private int zstdLevel = Integer.MIN_VALUE;
  private byte[] out;

  public ChunkCompressor(int maxChunk) {
    int bound = (int) Math.max(Zstd.compressBound(maxChunk), lz4.maxCompressedLength(maxChunk));
    this.out = new byte[bound];
    zstd.setChecksum(false);
  }

  /**
   * Compresses {@code src[0, len)} with {@code choice} into {@link #output()}.
   *
   * @return the compressed length, or -1 when the codec is {@code none} or the output would not be
   *     worth it (send raw)
   */
  public int compress(CodecChoice choice, byte[] src, int len) {
    int n;
    switch (choice.codec()) {
      case NONE:
        return -1;
      case LZ4:
        n = lz4.compress(src, 0, len, out, 0, out.length);
        break;
      case ZSTD:
        if (zstdLevel != choice.level()) {
          zstd.setLevel(choice.level());
          zstdLevel = choice.level();
        }
        n = zstd.compressByteArray(out, 0, out.length, src, 0, len);
        break;
      default:
        throw new IllegalStateException("codec " + choice);
    }
    return n <= len * (1 - MIN_SAVING) ? n : -1;
  }

  /** Where {@link #compress} put its output. */
  public byte[] output() {
    return out;
  }

  @Override
  public void close() {
    zstd.close();
  }
}
