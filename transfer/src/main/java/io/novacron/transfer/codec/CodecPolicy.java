package io.novacron.transfer.codec;

import io.novacron.workflows.transfer.TransferOptions;

/**
 * A parsed codec policy: a fixed codec, or {@code auto} (adaptive, see {@link AutoCodecSelector}).
 *
 * @param fixed the codec to use for every chunk; null for auto
 */
public record CodecPolicy(CodecChoice fixed) {
  public static final CodecPolicy AUTO = new CodecPolicy(null);

  public boolean isAuto() {
    return fixed == null;
  }

  /** Parses {@code auto}, {@code lz4}, {@code none} or {@code zstd:<level>}. */
  public static CodecPolicy parse(String text) {
    if (text == null || text.isBlank() || text.equals(TransferOptions.AUTO)) {
      return AUTO;
    }
    if (text.equals(TransferOptions.LZ4)) {
      return new CodecPolicy(CodecChoice.LZ4);
    }
    if (text.equals(TransferOptions.NONE)) {
      return new CodecPolicy(CodecChoice.NONE);
    }
    if (text.startsWith(TransferOptions.ZSTD_PREFIX)) {
      try {
        int level = Integer.parseInt(text.substring(TransferOptions.ZSTD_PREFIX.length()));
        if (level >= 1 && level <= 19) {
          return new CodecPolicy(CodecChoice.zstd(level));
        }
      } catch (NumberFormatException e) {
        // falls through to the error below
      }
    }
    throw new IllegalArgumentException("unknown codec policy '" + text + "'");
  }

  /** A selector for one transfer: the fixed codec, or a fresh adaptive one. */
  public CodecSelector newSelector(int workers, long bandwidthCapBytesPerSec) {
    return isAuto() ? new AutoCodecSelector(workers, bandwidthCapBytesPerSec) : new FixedCodecSelector(fixed);
  }
}
