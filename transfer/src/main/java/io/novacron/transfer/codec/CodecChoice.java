package io.novacron.transfer.codec;

/**
 * A codec and, for zstd, its level.
 *
 * @param codec the codec
 * @param level zstd level (1 to 19); 0 for the other codecs
 */
public record CodecChoice(Codec codec, int level) {
  public static final CodecChoice NONE = new CodecChoice(Codec.NONE, 0);
  public static final CodecChoice LZ4 = new CodecChoice(Codec.LZ4, 0);

  public static CodecChoice zstd(int level) {
    return new CodecChoice(Codec.ZSTD, level);
  }

  /** {@code none}, {@code lz4} or {@code zstd:<level>}: the names the options and results use. */
  public String label() {
    return codec == Codec.ZSTD ? "zstd:" + level : codec.label();
  }

  @Override
  public String toString() {
    return label();
  }
}
