package io.novacron.transfer.codec;

import com.github.luben.zstd.ZstdDecompressCtx;
import com.github.luben.zstd.ZstdException;
import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4SafeDecompressor;

/**
 * Decompresses chunks for one receiving connection (not thread-safe). Uses lz4's safe decompressor:
 * the input comes off the network and a corrupted chunk must fail, not read out of bounds.
 */
public final class ChunkDecompressor implements AutoCloseable {
  private final ZstdDecompressCtx zstd = new ZstdDecompressCtx();
  private final LZ4SafeDecompressor lz4 = Natives.lz4().safeDecompressor();

  /**
   * Decompresses {@code src[off, off+len)} into {@code dst[0, rawLen)}.
   *
   * @return false when the input is not a valid chunk of exactly {@code rawLen} bytes
   */
  public boolean decompress(Codec codec, byte[] src, int off, int len, byte[] dst, int rawLen) {
    try {
      switch (codec) {
        case NONE:
          if (len != rawLen) {
            return false;
          }
          System.arraycopy(src, off, dst, 0, len);
          return true;
        case LZ4:
          return lz4.decompress(src, off, len, dst, 0, rawLen) == rawLen;
        case ZSTD:
          return zstd.decompressByteArray(dst, 0, rawLen, src, off, len) == rawLen;
        default:
          return false;
      }
    } catch (LZ4Exception | ZstdException | ArrayIndexOutOfBoundsException e) {
      return false;
    }
  }

  @Override
  public void close() {
    zstd.close();
  }
}
