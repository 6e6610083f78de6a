package io.novacron.transfer.codec;

import java.util.Arrays;

/**
 * Zero-page elision inside a block. Guest memory is zero in 4 KiB pages scattered everywhere, so
 * a 64 KiB block is hardly ever all zero although half its pages may be: such a block travels as
 * a bitmap of its zero pages followed by its other pages, packed, and then compressed as usual.
 * The frame marks it with {@link #SPARSE} in the codec byte.
 */
public final class ZeroPages {
  public static final int PAGE = 4096;
  /** Set in a Data frame's codec byte when the payload starts with a zero-page bitmap. */
  public static final int SPARSE = 0x80;
  private static final byte[] ZEROS = new byte[PAGE];

  private ZeroPages() {}

  public static int pages(int length) {
    return (length + PAGE - 1) / PAGE;
  }

  public static int bitmapBytes(int length) {
    return (pages(length) + 7) / 8;
  }

  /**
   * Packs the non-zero pages of {@code block[0, length)} into {@code packed} and marks the zero
   * pages in {@code bitmap}.
   *
   * @return the packed length, or -1 when no page is zero (send the block as it is)
   */
  public static int pack(byte[] block, int length, byte[] bitmap, byte[] packed) {
    int pages = pages(length);
    if (pages < 2) {
      return -1;
    }
    Arrays.fill(bitmap, 0, bitmapBytes(length), (byte) 0);
    int out = 0;
    boolean anyZero = false;
    for (int p = 0; p < pages; p++) {
      int off = p * PAGE;
      int len = Math.min(PAGE, length - off);
      if (Arrays.mismatch(block, off, off + len, ZEROS, 0, len) < 0) {
        bitmap[p >> 3] |= (byte) (1 << (p & 7));
        anyZero = true;
      } else {
        System.arraycopy(block, off, packed, out, len);
        out += len;
      }
    }
    return anyZero ? out : -1;
  }

  /**
   * The packed length a bitmap describes for a block of {@code length}, or -1 when the bitmap is
   * malformed (bits beyond the last page).
   */
  public static int packedLength(byte[] bitmap, int bitmapOffset, int length) {
    int pages = pages(length);
    int packed = 0;
    for (int p = 0; p < bitmapBytes(length) * 8; p++) {
      boolean zero = (bitmap[bitmapOffset + (p >> 3)] & (1 << (p & 7))) != 0;
      if (p >= pages) {
        if (zero) {
          return -1;
        }
        continue;
      }
      if (!zero) {
        packed += Math.min(PAGE, length - p * PAGE);
      }
    }
    return packed;
  }

  /** Expands packed pages into {@code block[0, length)}, zero pages where the bitmap says. */
  public static void unpack(byte[] bitmap, int bitmapOffset, byte[] packed, byte[] block, int length) {
    int in = 0;
    for (int p = 0; p < pages(length); p++) {
      int off = p * PAGE;
      int len = Math.min(PAGE, length - off);
      if ((bitmap[bitmapOffset + (p >> 3)] & (1 << (p & 7))) != 0) {
        Arrays.fill(block, off, off + len, (byte) 0);
      } else {
        System.arraycopy(packed, in, block, off, len);
        in += len;
      }
    }
  }
}
