package io.novacron.transfer.codec;

/**
 * Chooses the codec of the next chunk and learns from what compression and the link did. Shared
 * by the stream workers of one transfer, so implementations are thread-safe.
 */
public interface CodecSelector {
  /** Codec for the next chunk of stream {@code stream}. */
  CodecChoice next(int stream);

  /**
   * Another codec to try on the same chunk purely to measure it (its output is sent only when it
   * is smaller), or null. Lets {@code auto} keep estimates of the codecs it is not using.
   */
  default CodecChoice probe(int stream) {
    return null;
  }

  /** A chunk of {@code rawBytes} came out of {@code codec} as {@code outBytes} in {@code nanos}. */
  default void compressed(CodecChoice codec, int rawBytes, int outBytes, long nanos) {}

  /**
   * Whether the chunk of stream {@code stream} shrank with the codec {@link #next} chose (false:
   * it went raw).
   */
  default void outcome(int stream, boolean shrank) {}

  /**
   * A stream spent {@code nanos} putting {@code wireBytes} on the wire (cap waits included) for
   * a block of {@code rawBytes}.
   */
  default void wrote(int rawBytes, int wireBytes, long nanos) {}

  /** The codec chosen most recently, for progress reports. */
  CodecChoice current();
}
